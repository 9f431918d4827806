package io.pyrogate.bench;

import com.google.protobuf.ByteString;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Real Java CPU profiles for the benchmarks: a JFR recording (execution samples) of this JVM doing
 * real work, gzipped as the pyroscope-java agent uploads it, and a gzipped pprof built from the
 * same samples. They are generated once and kept in a directory (bench/target/payloads).
 */
public final class Payloads {
  /**
   * Services the load is spread over: record keys are tenant/service, so this spreads partitions.
   */
  public static final int SERVICES = 16;

  static final String BOUNDARY = "pyrogate-bench-boundary-7d1f0c";

  private final byte[] jfrGz;
  private final byte[] pprofGz;

  private Payloads(byte[] jfrGz, byte[] pprofGz) {
    this.jfrGz = jfrGz;
    this.pprofGz = pprofGz;
  }

  public byte[] jfrGz() {
    return jfrGz;
  }

  public byte[] pprofGz() {
    return pprofGz;
  }

  /** Loads the payloads from {@code dir}, generating them first when missing. */
  public static Payloads load(Path dir, int targetBytes) {
    try {
      Path jfr = dir.resolve("profile.jfr.gz");
      Path pprof = dir.resolve("profile.pprof.gz");
      if (!Files.exists(jfr) || !Files.exists(pprof)) {
        Files.createDirectories(dir);
        Payloads p = generate(dir, targetBytes);
        Files.write(jfr, p.jfrGz);
        Files.write(pprof, p.pprofGz);
      }
      return new Payloads(Files.readAllBytes(jfr), Files.readAllBytes(pprof));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A push.v1 request for service {@code i}, one series with one sample, labelled as the Java SDK
   * does.
   */
  public PushRequest push(int service) {
    RawProfileSeries.Builder s = RawProfileSeries.newBuilder();
    label(s, "__name__", "process_cpu");
    label(s, "service_name", "bench-app-" + service);
    label(s, "hostname", "bench-host-" + service);
    label(s, "pyroscope_spy", "javaspy");
    label(s, "region", "eu-west-1");
    s.addSamples(
        RawSample.newBuilder()
            .setRawProfile(ByteString.copyFrom(pprofGz))
            .setID(UUID.randomUUID().toString()));
    return PushRequest.newBuilder().addSeries(s).build();
  }

  /** The multipart body pyroscope-java uploads to /ingest: a {@code jfr} part (gzipped JFR). */
  public byte[] ingestMultipart() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(jfrGz.length + 512);
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"jfr\"; filename=\"jfr\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(jfrGz);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  public static String ingestContentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  /** The query pyroscope-java sends with a JFR upload, for service {@code i}. */
  public static String ingestQuery(int service) {
    long now = System.currentTimeMillis() / 1000;
    return "name=bench-app-"
        + service
        + "%7Bhostname%3Dbench-host-"
        + service
        + "%7D&from="
        + (now - 10)
        + "&until="
        + now
        + "&format=jfr&sampleRate=100&spyName=javaspy&units=samples&aggregationType=sum";
  }

  private static void label(RawProfileSeries.Builder s, String name, String value) {
    s.addLabels(LabelPair.newBuilder().setName(name).setValue(value));
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Records execution samples of real work until the gzipped JFR reaches about {@code targetBytes}.
   */
  static Payloads generate(Path dir, int targetBytes) throws IOException {
    Path file = dir.resolve("recording.jfr");
    byte[] jfrGz = null;
    for (int seconds = 4; seconds <= 64; seconds *= 2) {
      record(file, Duration.ofSeconds(seconds));
      jfrGz = gzip(Files.readAllBytes(file));
      if (jfrGz.length >= targetBytes * 9 / 10) {
        break;
      }
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    events.removeIf(
        e ->
            !e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null);
    // Each sample carries a span_id label, as with pyroscope's OpenTelemetry span profiles; the
    // sample
    // count is scaled until the gzipped pprof is about the target size.
    int count = events.size();
    byte[] pprofGz = pprof(events, count);
    for (int round = 0;
        round < 4 && Math.abs(pprofGz.length - targetBytes) > targetBytes / 20;
        round++) {
      count = (int) Math.max(1, Math.min(200_000, (long) count * targetBytes / pprofGz.length));
      pprofGz = pprof(events, count);
    }
    return new Payloads(jfrGz, pprofGz);
  }

  private static byte[] pprof(List<RecordedEvent> events, int count) {
    Pprof p = new Pprof(10_000_000L);
    for (int i = 0; i < count; i++) {
      RecordedEvent e = events.get(i % events.size());
      List<Pprof.Frame> frames = new ArrayList<>();
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        frames.add(
            new Pprof.Frame(
                f.getMethod().getType().getName() + "." + f.getMethod().getName(),
                f.getMethod().getType().getName().replace('.', '/') + ".java",
                f.getLineNumber()));
      }
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      p.addSample(
          frames,
          String.valueOf(thread),
          Long.toHexString(new Random(i).nextLong() | Long.MIN_VALUE));
    }
    return gzip(p.toByteArray(System.currentTimeMillis() * 1_000_000L, 10_000_000_000L));
  }

  private static void record(Path file, Duration duration) throws IOException {
    try (Recording r = new Recording()) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
      r.start();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      String[] names = {"http-worker", "batch-indexer", "report-renderer", "cache-loader"};
      for (int t = 0; t < names.length; t++) {
        int seed = t;
        Thread w = new Thread(() -> work(seed, stop), names[t] + "-" + t);
        w.setDaemon(true);
        w.start();
        workers.add(w);
      }
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stop.set(true);
      for (Thread w : workers) {
        try {
          w.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      r.stop();
      r.dump(file);
    }
  }

  /** A mix of ordinary application work, so the stacks are varied and realistic. */
  static long work(int seed, AtomicBoolean stop) {
    Random random = new Random(seed);
    long sink = 0;
    while (!stop.get()) {
      switch (random.nextInt(6)) {
        case 0:
          sink += sortRecords(random);
          break;
        case 1:
          sink += hashDocuments(random);
          break;
        case 2:
          sink += regexScan(random);
          break;
        case 3:
          sink += bigMath(random, 3 + random.nextInt(6));
          break;
        case 4:
          sink += compress(random);
          break;
        default:
          sink += aggregate(random);
          break;
      }
    }
    return sink;
  }

  private static long sortRecords(Random r) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add("customer-" + r.nextInt(100_000) + "/" + Long.toHexString(r.nextLong()));
    }
    rows.sort(String::compareTo);
    return rows.get(0).hashCode();
  }

  private static long hashDocuments(Random r) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] doc = new byte[16 * 1024];
      r.nextBytes(doc);
      long h = 0;
      for (int i = 0; i < 20; i++) {
        h += Arrays.hashCode(md.digest(doc));
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern LOG_LINE =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\w+) \\[(.*?)] (.*)");

  private static long regexScan(Random r) {
    long n = 0;
    for (int i = 0; i < 3_000; i++) {
      String line =
          "2026-11-25 "
              + (r.nextBoolean() ? "INFO" : "WARN")
              + " [worker-"
              + r.nextInt(8)
              + "] request "
              + r.nextInt(1_000_000)
              + " took "
              + r.nextInt(500)
              + " ms";
      Matcher m = LOG_LINE.matcher(line);
      if (m.matches()) {
        n += m.group(4).length();
      }
    }
    return n;
  }

  private static long bigMath(Random r, int depth) {
    if (depth == 0) {
      return new BigInteger(512, r)
          .modPow(BigInteger.valueOf(65_537), BigInteger.probablePrime(256, r))
          .bitLength();
    }
    return bigMath(r, depth - 1) + 1;
  }

  private static long compress(Random r) {
    byte[] input = new byte[64 * 1024];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) ('a' + r.nextInt(8));
    }
    Deflater d = new Deflater(6);
    d.setInput(input);
    d.finish();
    byte[] out = new byte[input.length];
    int n = d.deflate(out);
    d.end();
    return n;
  }

  private static long aggregate(Random r) {
    Map<String, long[]> totals = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      totals.computeIfAbsent("k" + r.nextInt(500), k -> new long[1])[0] += r.nextInt(100);
    }
    return totals.values().stream().mapToLong(a -> a[0]).sum();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Generates the payloads into a directory and prints their sizes. */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench/target/payloads");
    Payloads p = load(dir, 50 * 1024);
    System.out.println(
        "jfr.gz "
            + p.jfrGz.length
            + " bytes, pprof.gz "
            + p.pprofGz.length
            + " bytes, push request "
            + p.push(0).getSerializedSize()
            + " bytes, ingest multipart "
            + p.ingestMultipart().length
            + " bytes");
  }
}
