package io.pyrogate.reliability;

import io.pyrogate.bench.Ports;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.apache.kafka.common.KafkaException;

/**
 * What a scenario works with: it starts pyrogate processes, standalone brokers, recording endpoints
 * and loads in a directory of its own, samples the pyrogate processes' memory, waits for
 * deliveries, counts, and turns a {@link Verdict} into a {@link Result}. Closing it stops
 * everything it started, in reverse order.
 */
public final class Harness implements AutoCloseable {
  /** How often memory is sampled. */
  private static final long SAMPLE_MILLIS = 1000;

  private final Settings settings;
  private final Vertx vertx;
  private final String scenario;
  private final Path dir;
  private final List<GatewayProcess> gateways = new ArrayList<>();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /**
   * What kept the harness from counting exactly (e.g. an unreadable dead-letter topic), for the
   * report.
   */
  private final Set<String> problems = new LinkedHashSet<>();

  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reliability-sampler");
            t.setDaemon(true);
            return t;
          });

  Harness(Settings settings, Vertx vertx, String scenario) {
    this.settings = settings;
    this.vertx = vertx;
    this.scenario = scenario;
    this.dir = settings.workDir().resolve(scenario);
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sampler.scheduleWithFixedDelay(
        this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  public Settings settings() {
    return settings;
  }

  /** The scenario's own directory. */
  public Path dir() {
    return dir;
  }

  /** A recording endpoint named {@code name}, listening when {@code up}. */
  public RecordingEndpoint endpoint(String name, boolean up) {
    return register(RecordingEndpoint.create(vertx, name, up));
  }

  /** A configuration with ingest and the embedded broker on free ports. */
  public AlloyConfig embeddedConfig() {
    return AlloyConfig.embedded(Ports.free(), Ports.free());
  }

  /**
   * pyrogate named {@code name} with data under the scenario's directory, at log level info,
   * started and ready.
   */
  public GatewayProcess gateway(String name, AlloyConfig config) {
    return gateway(name, config, dir.resolve(name + "-data"), "info").startReady();
  }

  /**
   * pyrogate named {@code name} with data under {@code storage} at {@code logLevel}, not started
   * yet.
   */
  public GatewayProcess gateway(String name, AlloyConfig config, Path storage, String logLevel) {
    GatewayProcess g =
        register(GatewayProcess.create(settings, dir, name, config, storage, logLevel));
    synchronized (gateways) {
      gateways.add(g);
    }
    return g;
  }

  /**
   * {@code n} pyrogate instances sharing the work, named {@code name-1} to {@code name-n}: each
   * with the configuration {@code config} makes for its ingest port (instances on one host differ
   * in nothing else) on a broker they share, started together (so they race to create the topics)
   * and ready.
   */
  public List<GatewayProcess> instances(String name, int n, IntFunction<AlloyConfig> config) {
    List<GatewayProcess> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(instance(name + "-" + i, config));
    }
    list.forEach(g -> g.process().start());
    list.forEach(g -> g.awaitReady(Duration.ofSeconds(120)));
    return list;
  }

  /**
   * One more instance named {@code name}, with the configuration {@code config} makes for its
   * ingest port, not started yet.
   */
  public GatewayProcess instance(String name, IntFunction<AlloyConfig> config) {
    return gateway(name, config.apply(Ports.free()), dir.resolve(name + "-data"), "info");
  }

  /** The ingest ports of {@code instances}, for a load spread over them. */
  public static List<Integer> ingestPorts(List<GatewayProcess> instances) {
    return instances.stream().map(GatewayProcess::ingestPort).toList();
  }

  /** A standalone broker, started and serving. */
  public BrokerProcess broker() {
    return register(BrokerProcess.create(dir.resolve("broker"))).startReady();
  }

  /** Starts a load of {@code requests} at {@code rate} per second against {@code port}. */
  public HttpLoad load(int port, List<HttpLoad.Request> requests, double rate) {
    HttpLoad load = HttpLoad.start(port, requests, rate);
    register(load::close);
    return load;
  }

  /**
   * Starts a load of {@code requests} at {@code rate} per second spread over {@code ports}, a
   * request whose connection fails going to the next port for up to {@code retryFor}.
   */
  public HttpLoad load(
      List<Integer> ports, List<HttpLoad.Request> requests, double rate, Duration retryFor) {
    HttpLoad load = HttpLoad.start(ports, requests, rate, retryFor);
    register(load::close);
    return load;
  }

  /** The profiles any of {@code loads} acknowledged. */
  public static Set<String> acknowledged(HttpLoad... loads) {
    Set<String> ids = new HashSet<>();
    for (HttpLoad l : loads) {
      ids.addAll(l.acknowledged());
    }
    return ids;
  }

  /**
   * Runs {@code action} when the scenario ends (after the processes stopped), e.g. to unmount a
   * file system.
   */
  public void atEnd(AutoCloseable action) {
    register(action);
  }

  private <T extends AutoCloseable> T register(T closeable) {
    synchronized (started) {
      started.push(closeable);
    }
    return closeable;
  }

  /**
   * Lets a fault last (an outage, a trickle) for {@code duration}: the time is what the scenario is
   * about.
   */
  public static void hold(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  /** Polls {@code condition} every 100 ms for up to {@code max}; whether it became true. */
  public static boolean until(Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      LockSupport.parkNanos(100_000_000L);
    }
  }

  /**
   * Waits up to {@code max} until every acknowledged profile reached every endpoint in {@code
   * endpoints} or was dead-lettered by it (the dead-letter topic on {@code bootstrap} is read every
   * 5 s); whether that happened.
   */
  public boolean awaitSettled(
      Set<String> acknowledged,
      Collection<RecordingEndpoint> endpoints,
      String bootstrap,
      Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    long nextDeadLetters = System.nanoTime() + 5_000_000_000L;
    while (true) {
      if (acknowledged.stream()
          .allMatch(id -> endpoints.stream().allMatch(e -> e.deliveries(id) > 0))) {
        return true;
      }
      if (System.nanoTime() >= nextDeadLetters) {
        if (Counts.of(acknowledged, endpoints, deadLetters(bootstrap), Set.of()).lost() == 0) {
          return true;
        }
        nextDeadLetters = System.nanoTime() + 5_000_000_000L;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      LockSupport.parkNanos(250_000_000L);
    }
  }

  /**
   * Counts {@code acknowledged} against {@code endpoints} and the dead-letter topic on {@code
   * bootstrap}; dead letters of the endpoints named in {@code refusing} are expected ones.
   */
  public Counts counts(
      Set<String> acknowledged,
      Collection<RecordingEndpoint> endpoints,
      String bootstrap,
      Set<String> refusing) {
    return Counts.of(acknowledged, endpoints, deadLetters(bootstrap), refusing);
  }

  /**
   * The dead letters of the write on {@code bootstrap}; none when the broker cannot serve them (a
   * full disk), which the report then says.
   */
  public List<DeadLetter> deadLetters(String bootstrap) {
    try {
      return DeadLetterReader.read(bootstrap, AlloyConfig.DLQ_TOPIC);
    } catch (KafkaException e) {
      synchronized (problems) {
        problems.add(
            "the dead-letter topic could not be read, counted as empty: " + e.getMessage());
      }
      return List.of();
    }
  }

  /** The scenario's result: FAIL with the broken promises, or PASS with {@code passReason}. */
  public Result result(String load, Counts counts, Verdict verdict, String passReason) {
    sample();
    long heap = -1;
    long rss = -1;
    synchronized (gateways) {
      for (GatewayProcess g : gateways) {
        heap = Math.max(heap, g.maxHeapBytes());
        rss = Math.max(rss, g.maxRssBytes());
      }
    }
    boolean failed = !verdict.failures().isEmpty();
    List<String> details = new ArrayList<>(verdict.notes());
    synchronized (problems) {
      details.addAll(problems);
    }
    return new Result(
        scenario,
        load,
        counts,
        heap,
        rss,
        failed ? Status.FAIL : Status.PASS,
        failed ? String.join("; ", verdict.failures()) : passReason,
        details);
  }

  private void sample() {
    List<GatewayProcess> list;
    synchronized (gateways) {
      list = List.copyOf(gateways);
    }
    for (GatewayProcess g : list) {
      g.sample();
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    while (true) {
      AutoCloseable c;
      synchronized (started) {
        c = started.poll();
      }
      if (c == null) {
        break;
      }
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("reliability: " + scenario + ": clean-up step failed: " + e);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
