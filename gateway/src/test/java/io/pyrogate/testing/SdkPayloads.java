package io.pyrogate.testing;

import io.pyrogate.testing.jfrlabels.JfrLabels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Recording;

/**
 * Legacy {@code /ingest} requests built the way Pyroscope's SDKs send them: the query each one sets
 * and its multipart body (Go's {@code mime/multipart} writer for pyroscope-go, OkHttp's for
 * pyroscope-java, the {@code form-data} package for @pyroscope/nodejs), with real profiles of this
 * JVM.
 */
public final class SdkPayloads {
  private static byte[] jfr;

  private SdkPayloads() {}

  /** A request body with the Content-Type that goes with it. */
  public record Body(String contentType, byte[] bytes) {}

  /** One form part: headers as the client library writes them, then the content. */
  public record Part(String name, String fileName, String contentType, byte[] content) {}

  /**
   * A real JFR recording of this JVM: CPU samples and allocation events over a short burst of work
   * (a fraction of a second, recorded once per test JVM).
   */
  public static synchronized byte[] jfrRecording() {
    if (jfr == null) {
      try (Recording recording = new Recording()) {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.ObjectAllocationSample");
        recording.start();
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        long sink = 0;
        while (System.nanoTime() < until) {
          sink += Profiles.jvmStacksPprof(1).length;
        }
        recording.stop();
        Path file = Files.createTempFile("pyrogate-test", ".jfr");
        recording.dump(file);
        jfr = Files.readAllBytes(file);
        Files.delete(file);
        if (sink == 0) {
          throw new IllegalStateException("no work recorded");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jfr.clone();
  }

  /** A LabelsSnapshot as the Java agent sends it: two contexts over interned strings. */
  public static byte[] jfrLabels() {
    return JfrLabels.LabelsSnapshot.newBuilder()
        .putStrings(1, "span_name")
        .putStrings(2, "GET /cart")
        .putStrings(3, "POST /pay")
        .putContexts(7, JfrLabels.Context.newBuilder().putLabels(1, 2).build())
        .putContexts(8, JfrLabels.Context.newBuilder().putLabels(1, 3).build())
        .build()
        .toByteArray();
  }

  /**
   * pyroscope-java: parts {@code jfr} (gzipped, no Content-Type) and {@code labels} (gzipped
   * protobuf).
   */
  public static Body javaJfrForm(byte[] gzippedJfr, byte[] gzippedLabels) {
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("jfr", "jfr", null, gzippedJfr));
    if (gzippedLabels != null) {
      parts.add(new Part("labels", "labels", "application/x-protobuf", gzippedLabels));
    }
    return form(UUID.randomUUID().toString(), parts);
  }

  /**
   * pyroscope-go: part {@code profile} (gzipped pprof) and, when given, {@code sample_type_config}.
   */
  public static Body goPprofForm(byte[] pprof, String sampleTypeConfig) {
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("profile", "profile.pprof", "application/octet-stream", pprof));
    if (sampleTypeConfig != null) {
      parts.add(
          new Part(
              "sample_type_config",
              "sample_type_config.json",
              "application/octet-stream",
              sampleTypeConfig.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] random = new byte[30];
    new SecureRandom().nextBytes(random);
    return form(HexFormat.of().formatHex(random), parts);
  }

  /**
   * @pyroscope/nodejs: one part {@code profile} with file name "profile".
   */
  public static Body nodejsPprofForm(byte[] pprof) {
    return form(
        "--------------------------" + System.nanoTime() % 1_000_000_000_000L,
        List.of(new Part("profile", "profile", "application/octet-stream", pprof)));
  }

  /** A multipart/form-data body with CRLF line ends, as every client above writes it. */
  public static Body form(String boundary, List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      StringBuilder head =
          new StringBuilder("--")
              .append(boundary)
              .append("\r\n")
              .append("Content-Disposition: form-data; name=\"")
              .append(p.name())
              .append('"');
      if (p.fileName() != null) {
        head.append("; filename=\"").append(p.fileName()).append('"');
      }
      head.append("\r\n");
      if (p.contentType() != null) {
        head.append("Content-Type: ").append(p.contentType()).append("\r\n");
      }
      head.append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return new Body("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  /**
   * The query pyroscope-java builds (OkHttp percent-encodes the braces, '=' and ',' of the name).
   */
  public static String javaQuery(String name, long fromSeconds, long untilSeconds) {
    return "name="
        + encode(name)
        + "&units=samples&aggregationType=sum&from="
        + fromSeconds
        + "&until="
        + untilSeconds
        + "&spyName=javaspy&sampleRate=100&format=jfr";
  }

  /**
   * The query pyroscope-go builds ({@code url.Values.Encode}: keys sorted, times in nanoseconds).
   */
  public static String goQuery(String name, long fromNanos, long untilNanos) {
    return "aggregationType=sum&from="
        + fromNanos
        + "&name="
        + encode(name)
        + "&sampleRate=100&spyName=gospy"
        + "&units=samples&until="
        + untilNanos;
  }

  /** The query @pyroscope/nodejs builds. */
  public static String nodejsQuery(String name, long fromSeconds, long untilSeconds) {
    return "from="
        + fromSeconds
        + "&name="
        + encode(name)
        + "&spyName=nodespy&until="
        + untilSeconds
        + "&sampleRate=100";
  }

  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Gzip at the Java agent's default level for JFR (BEST_SPEED). */
  public static byte[] gzipFast(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
