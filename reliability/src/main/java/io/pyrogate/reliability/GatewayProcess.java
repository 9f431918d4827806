package io.pyrogate.reliability;

import io.pyrogate.bench.Ports;
import io.pyrogate.bench.ProcessStats;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pyrogate as users run it, the packaged jar in a JVM of its own ({@code java -jar pyrogate.jar
 * run}), with its management server on a free 127.0.0.1 port. Its largest heap and RSS are sampled
 * while it runs, over every restart.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ChildProcess process;
  private final AlloyConfig config;
  private final int managementPort;
  private final AtomicLong maxHeap = new AtomicLong(-1);
  private final AtomicLong maxRss = new AtomicLong(-1);

  private GatewayProcess(ChildProcess process, AlloyConfig config, int managementPort) {
    this.process = process;
    this.config = config;
    this.managementPort = managementPort;
  }

  /**
   * Writes {@code config} under {@code dir} and returns the process, not started yet: {@code
   * pyrogate run} with data under {@code storage}, at log level {@code logLevel}.
   */
  static GatewayProcess create(
      Settings settings, Path dir, String name, AlloyConfig config, Path storage, String logLevel) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".alloy");
      Files.writeString(file, config.render());
      int management = Ports.free();
      List<String> cmd = new ArrayList<>();
      cmd.add(ChildProcess.java());
      cmd.addAll(settings.javaOpts());
      cmd.addAll(
          List.of(
              "-jar",
              settings.jar().toString(),
              "run",
              "--log.level=" + logLevel,
              "--server.http.listen-addr=127.0.0.1:" + management,
              "--storage.path=" + storage,
              file.toString()));
      return new GatewayProcess(new ChildProcess(dir, name, cmd), config, management);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts (again) and waits until {@code /-/ready} answers 200; fails when it exits or is not
   * ready in 120 s.
   */
  public GatewayProcess startReady() {
    process.start();
    return awaitReady(Duration.ofSeconds(120));
  }

  /**
   * Waits until {@code /-/ready} answers 200; fails when the process exits or after {@code max}.
   */
  public GatewayProcess awaitReady(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException(
            "pyrogate exited with " + process.exitCode() + "; see " + process.lastLog());
      }
      if (ready()) {
        return this;
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new IllegalStateException(
        "pyrogate not ready within " + max.toSeconds() + " s; see " + process.lastLog());
  }

  public boolean ready() {
    return get("/-/ready").status() == 200;
  }

  /** A management page's status and body; status -1 when there was no answer. */
  public Page get(String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Page(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Page(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Page(-1, "");
    }
  }

  /** A management page's answer. */
  public record Page(int status, String body) {}

  /**
   * Partitions its endpoints' consumers hold now (the Kafka consumer's own {@code
   * assigned-partitions}), or -1 when it did not answer.
   */
  public int assignedPartitions() {
    return (int) metric("kafka_consumer_coordinator_assigned_partitions");
  }

  /** Profiles it delivered so far over all endpoints, or -1 when it did not answer. */
  public long sentProfiles() {
    return (long) metric("pyroscope_write_sent_profiles_total");
  }

  /**
   * The sum of every series of metric {@code name} on {@code /metrics} (0 when it has none), or -1
   * when the page did not answer.
   */
  public double metric(String name) {
    Page page = get("/metrics");
    if (page.status() != 200) {
      return -1;
    }
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name) + "(?:\\{[^}]*})?\\s+([0-9.eE+-]+)$", Pattern.MULTILINE)
            .matcher(page.body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** Samples heap (from /metrics) and RSS (from /proc) into the maxima. */
  void sample() {
    if (!process.alive()) {
      return;
    }
    maxRss.accumulateAndGet(ProcessStats.rssBytes(process.pid()), Math::max);
    maxHeap.accumulateAndGet(ProcessStats.heap(managementPort)[0], Math::max);
  }

  public long maxHeapBytes() {
    return maxHeap.get();
  }

  public long maxRssBytes() {
    return maxRss.get();
  }

  public ChildProcess process() {
    return process;
  }

  public int ingestPort() {
    return config.ingestPort();
  }

  public String bootstrap() {
    return config.bootstrap();
  }

  @Override
  public void close() {
    process.close();
  }
}
