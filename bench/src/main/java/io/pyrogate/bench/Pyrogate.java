package io.pyrogate.bench;

import io.pyrogate.kafka.KafkaDefaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * pyrogate run as a child process from the packaged jar, with its embedded Kafka or on a broker
 * several instances share, on 127.0.0.1 ports. Memory is read with {@link ProcessStats}.
 */
public final class Pyrogate implements AutoCloseable {
  /** One endpoint of the write component. */
  public record Endpoint(String name, int port) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** USER_HZ of /proc's tick counts: 100 on every Linux this runs on. */
  private static final long CLOCK_TICKS = 100;

  private static final long RETAINED_BYTES_PER_PARTITION = 2L * 1024 * 1024 * 1024;

  private final Process process;
  private final int ingestPort;
  private final int managementPort;
  private final String bootstrap;
  private final long startupMillis;
  private final Path dataDir;

  private Pyrogate(
      Process process,
      Path dataDir,
      int ingestPort,
      int managementPort,
      String bootstrap,
      long startupMillis) {
    this.process = process;
    this.dataDir = dataDir;
    this.ingestPort = ingestPort;
    this.managementPort = managementPort;
    this.bootstrap = bootstrap;
    this.startupMillis = startupMillis;
  }

  /**
   * Starts pyrogate over a fresh data directory and waits until /-/ready answers 200 (at most 90
   * s).
   */
  public static Pyrogate start(
      Path jar, Path dir, List<Endpoint> endpoints, List<String> javaOpts) {
    int kafka = Ports.free();
    return start(
        jar,
        dir,
        javaOpts,
        "127.0.0.1:" + kafka,
        ingest -> config(ingest, kafka, endpoints),
        endpoints.isEmpty());
  }

  /**
   * As {@link #start(Path, Path, List, List)}, on the broker at {@code bootstrap} instead of an
   * embedded one, with its topics and consumer groups named with {@code topicPrefix}: instances
   * started so with one prefix share the work.
   */
  public static Pyrogate startOn(
      String bootstrap,
      String topicPrefix,
      Path jar,
      Path dir,
      List<Endpoint> endpoints,
      List<String> javaOpts) {
    String kafkaBlock =
        "kafka {\n  bootstrap_servers = [\""
            + bootstrap
            + "\"]\n  topic_prefix = \""
            + topicPrefix
            + "\"\n}\n\n";
    return start(
        jar, dir, javaOpts, bootstrap, ingest -> config(ingest, kafkaBlock, endpoints), false);
  }

  private static Pyrogate start(
      Path jar,
      Path dir,
      List<String> javaOpts,
      String bootstrap,
      IntFunction<String> configFor,
      boolean boundDisk) {
    try {
      if (Files.exists(dir)) {
        deleteTree(dir);
      }
      Files.createDirectories(dir);
      int ingest = Ports.free();
      int management = Ports.free();
      Path config = dir.resolve("bench.alloy");
      Files.writeString(config, configFor.apply(ingest));
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(javaOpts);
      cmd.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "run",
              "--log.level=warn",
              "--server.http.listen-addr=127.0.0.1:" + management,
              "--storage.path=" + dir.resolve("data"),
              config.toString()));
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("pyrogate.log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      // scripts/bench kills what is left by these pid files if this JVM itself is killed.
      Files.writeString(dir.resolve("pyrogate.pid"), Long.toString(p.pid()));
      long deadline = t0 + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "pyrogate exited with " + p.exitValue() + "; see " + dir.resolve("pyrogate.log"));
        }
        if (get("http://127.0.0.1:" + management + "/-/ready") == 200) {
          long startup = (System.nanoTime() - t0) / 1_000_000;
          if (boundDisk) {
            boundDisk(bootstrap);
          }
          return new Pyrogate(p, dir.resolve("data"), ingest, management, bootstrap, startup);
        }
        Thread.sleep(25);
      }
      p.destroyForcibly();
      throw new IllegalStateException(
          "pyrogate not ready within 90 s; see " + dir.resolve("pyrogate.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ingest only writes tens of GB at max rate that nobody reads: pyrogate's topics keep at most
   * {@value #RETAINED_BYTES_PER_PARTITION} bytes per partition in 256 MiB segments. Not with
   * endpoints: a warm-up at max rate leaves delivery gigabytes behind, and the bench waits until
   * every profile arrived.
   */
  private static void boundDisk(String bootstrap) {
    try (Admin admin = Admin.create(KafkaDefaults.admin(bootstrap))) {
      List<AlterConfigOp> ops =
          List.of(
              new AlterConfigOp(
                  new ConfigEntry("retention.bytes", Long.toString(RETAINED_BYTES_PER_PARTITION)),
                  AlterConfigOp.OpType.SET),
              new AlterConfigOp(
                  new ConfigEntry("segment.bytes", Integer.toString(256 * 1024 * 1024)),
                  AlterConfigOp.OpType.SET),
              new AlterConfigOp(
                  new ConfigEntry("file.delete.delay.ms", "1000"), AlterConfigOp.OpType.SET));
      Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
      for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
        changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops);
      }
      admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot bound the disk use of pyrogate's topics: " + e.getMessage(), e);
    }
  }

  static String config(int ingestPort, int kafkaPort, List<Endpoint> endpoints) {
    return config(
        ingestPort,
        "kafka {\n  embedded_listen_address = \"127.0.0.1:" + kafkaPort + "\"\n}\n\n",
        endpoints);
  }

  private static String config(int ingestPort, String kafkaBlock, List<Endpoint> endpoints) {
    StringBuilder b = new StringBuilder(kafkaBlock);
    b.append(
            "pyroscope.receive_http \"bench\" {\n  http {\n    listen_address = \"127.0.0.1\"\n    listen_port    = ")
        .append(ingestPort)
        .append("\n  }\n  forward_to = [pyroscope.write.bench.receiver]\n}\n\n");
    b.append("pyroscope.write \"bench\" {\n");
    for (Endpoint e : endpoints) {
      b.append("  endpoint {\n    name = \"")
          .append(e.name())
          .append("\"\n    url  = \"http://127.0.0.1:")
          .append(e.port())
          .append("\"\n  }\n");
    }
    b.append("}\n");
    return b.toString();
  }

  public int ingestPort() {
    return ingestPort;
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public long startupMillis() {
    return startupMillis;
  }

  public long pid() {
    return process.pid();
  }

  /** CPU time the process used so far (user + system), -1 when unknown. */
  public long cpuNanos() {
    return BenchRun.cpuNanos(process.toHandle());
  }

  /**
   * CPU time used so far by the JVM's JIT compiler threads ("C1/C2 CompilerThread"), from
   * /proc/PID/task/TID/stat (-1 when unknown). The warm-up runs until these go quiet.
   */
  public long compilerCpuNanos() {
    long ticks = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException threadGone) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (!stat.substring(open + 1, close).matches("C\\d CompilerThre.*")) {
          continue;
        }
        // After the command: state, then 10 fields, then utime and stime (fields 14 and 15 of
        // proc(5)).
        String[] f = stat.substring(close + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * 1_000_000_000L / CLOCK_TICKS;
  }

  /** Whether the process still runs (an OutOfMemoryError ends it with ExitOnOutOfMemoryError). */
  public boolean alive() {
    return process.isAlive();
  }

  /** Seconds the JVM spent in GC pauses so far (NaN when unknown). */
  public double gcPauseSeconds() {
    return ProcessStats.gcPauseSeconds(managementPort);
  }

  /** Resident set size in bytes (-1 when unknown). */
  public long rssBytes() {
    return ProcessStats.rssBytes(process.pid());
  }

  /** Heap used in bytes (-1 when unknown). */
  public long heapUsedBytes() {
    return heap()[0];
  }

  /**
   * Heap used and the old generation's size after the last GC, both -1 when unknown (see {@link
   * ProcessStats#heap}).
   */
  public long[] heap() {
    return ProcessStats.heap(managementPort);
  }

  /**
   * SIGTERM, then SIGKILL after 20 s; then deletes the data directory (a minute at max rate writes
   * several GB of records; the log stays).
   */
  @Override
  public void close() {
    long t0 = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    System.err.printf(
        Locale.ROOT, "bench: pyrogate stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try {
      if (Files.exists(dataDir)) { // on a shared broker, pyrogate keeps nothing there
        deleteTree(dataDir);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("bench: could not delete " + dataDir + ": " + e.getMessage());
    }
  }

  static int get(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
