package io.pyrogate;

import static io.pyrogate.Blocking.await;
import static io.pyrogate.Blocking.quietly;

import io.pyrogate.cluster.ClusterRuntime;
import io.pyrogate.cluster.ClusterSettings;
import io.pyrogate.config.ConfigException;
import io.pyrogate.config.ConfigRenderer;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.ingest.HttpIngestVerticle;
import io.pyrogate.ops.Health;
import io.pyrogate.ops.ManagementVerticle;
import io.pyrogate.ops.Metrics;
import io.pyrogate.ops.VertxHttpMetrics;
import io.pyrogate.ops.status.EndpointBoard;
import io.pyrogate.ops.status.ReloadHistory;
import io.pyrogate.ops.status.StatusService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pyrogate's lifecycle ({@link Lifecycle}): starts the management server, Kafka (embedded or the
 * user's) and its clients, then the components of the configuration ({@link Reconciler}); stops
 * them in reverse order within one deadline. {@link #reload} hands a new configuration to the
 * reconciler. In cluster mode its Vert.x is a member of the cluster ({@link ClusterRuntime}) from
 * the start, and leaves it last.
 *
 * <p>{@link #start}, {@link #reload} and {@link #stop} block; call them from {@code main}, a worker
 * or a test, never from an event loop.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /**
   * How long {@link #stop()} waits: within Kubernetes' default terminationGracePeriodSeconds of 30.
   */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(25);

  /**
   * Where and how to run; the command-line flags of {@code pyrogate run}.
   *
   * @param cluster cluster mode ({@code --cluster.*}), {@link ClusterSettings#DISABLED} on its own
   */
  public record Options(
      Path storagePath,
      String managementHost,
      int managementPort,
      int ingestInstances,
      ClusterSettings cluster) {
    /** On its own, without cluster mode. */
    public Options(
        Path storagePath, String managementHost, int managementPort, int ingestInstances) {
      this(storagePath, managementHost, managementPort, ingestInstances, ClusterSettings.DISABLED);
    }
  }

  /**
   * Where a reload takes the new configuration from: the file pyrogate was started with, read,
   * evaluated and validated again.
   */
  @FunctionalInterface
  public interface ConfigSource {
    /**
     * @throws ConfigException listing every error of the new configuration
     */
    GatewayConfig load() throws ConfigException;
  }

  private final Vertx vertx;
  private final Health health = new Health();
  private final Metrics metrics = new Metrics();
  private final ClusterRuntime cluster;
  private final Lifecycle lifecycle = new Lifecycle();
  private final KafkaRuntime kafka;
  private final EndpointBoard endpointBoard = new EndpointBoard();
  private final ReloadHistory reloads = new ReloadHistory(System::currentTimeMillis);
  private final StatusService status;

  /** Serializes start, reloads and stop: one changes the running components at a time. */
  private final ReentrantLock changing = new ReentrantLock();

  private Options options;
  private ConfigSource source;
  private ManagementVerticle management;
  private volatile Reconciler reconciler;

  /**
   * @throws RuntimeException when cluster mode cannot start; nothing runs then
   */
  private Gateway(GatewayConfig config, Options options) {
    // Netty's epoll transport where it is available (Linux x86-64), NIO elsewhere: less CPU per
    // request.
    VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
    this.cluster = ClusterRuntime.of(options.cluster(), config.kafka().topicPrefix(), vertxOptions);
    this.vertx = await(cluster.vertx(VertxHttpMetrics.builder(vertxOptions, metrics)));
    this.kafka = new KafkaRuntime(vertx);
    this.status =
        new StatusService(
            metrics.registry(),
            endpointBoard,
            reloads,
            health,
            () -> kafka.settings() == null ? List.of() : kafka.settings().bootstrapServers(),
            this::ingestPort,
            Reconciler.INGEST_INFLIGHT_BYTES,
            Version.get(),
            System::currentTimeMillis);
    cluster.start(status::snapshot);
    status.clusterView(cluster::view, cluster.clustered());
  }

  /** Starts everything; on failure stops what was started and throws with the reason. */
  public static Gateway start(GatewayConfig config, Options options) {
    return start(config, options, null);
  }

  /**
   * Starts everything, with {@code POST /-/reload} and {@link #reloadFromSource()} reading the
   * configuration from {@code source}; on failure stops what was started and throws with the
   * reason.
   */
  public static Gateway start(GatewayConfig config, Options options, ConfigSource source) {
    Gateway gateway = new Gateway(config, options);
    try {
      gateway.startUp(config, options, source);
      return gateway;
    } catch (RuntimeException e) {
      gateway.stop();
      throw e;
    }
  }

  private void startUp(GatewayConfig config, Options options, ConfigSource source) {
    long began = System.nanoTime();
    lifecycle.starting();
    changing.lock();
    try {
      this.options = options;
      this.source = source;
      LOG.debug(
          "effective configuration (secrets redacted):\n{}",
          ConfigRenderer.render(config).stripTrailing());
      management =
          new ManagementVerticle(
              options.managementHost(),
              options.managementPort(),
              health,
              source == null ? null : () -> reloadFromSource().describe(),
              metrics,
              status);
      reloads.started(config);
      await(vertx.deployVerticle(management));
      metrics.ready(() -> health.notReady().isEmpty());

      kafka.start(config.kafka(), options.storagePath(), options.ingestInstances(), health);
      kafka.producers().meteredBy(metrics.kafkaClient("pyrogate", ""));
      reconciler =
          new Reconciler(
              vertx, kafka, metrics, health, options.ingestInstances(), endpointBoard, cluster);
      try {
        reconciler.start(config);
      } catch (RuntimeException e) {
        // The last line of a failed start names the servers rather than an admin call's timeout.
        throw health.unavailable().isPresent()
            ? new IllegalStateException(
                "Kafka at "
                    + String.join(",", kafka.settings().bootstrapServers())
                    + " is unreachable: "
                    + e.getMessage(),
                e)
            : e;
      }
      kafka.watch();
      lifecycle.running();
      health.started();
    } finally {
      changing.unlock();
    }
    LOG.info(
        "pyrogate {} ({}) running: management {}, {}; started in {} ms ({} transport)",
        Version.get(),
        Version.commit(),
        managementUrl(),
        config.summary(),
        (System.nanoTime() - began) / 1_000_000,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
  }

  /**
   * Reads the configuration from the source given at start and, when it is valid, {@link #reload
   * applies} it. Blocking; never call it from an event loop.
   *
   * @throws ConfigException when the new configuration is invalid or changes the kafka block;
   *     nothing changed
   */
  public ReloadResult reloadFromSource() {
    requireNotOnEventLoop();
    changing.lock();
    try {
      lifecycle.requireRunning();
      if (source == null) {
        throw new IllegalStateException(
            "pyrogate was not started from a configuration file; nothing to reload from");
      }
      GatewayConfig next;
      try {
        next = source.load();
      } catch (ConfigException e) {
        LOG.error(
            "configuration reload refused, the running configuration stays:\n{}",
            e.getMessage().stripTrailing());
        reloads.failed(e.getMessage());
        throw e;
      }
      return reloads.record(next, () -> reload(next), ReloadResult::describe);
    } finally {
      changing.unlock();
    }
  }

  /**
   * Changes the running components to {@code next}, touching only those whose configuration changed
   * (see {@link Reconciler#reload}). Reloads are serialized. Blocking; never call it from an event
   * loop.
   *
   * @throws ConfigException when the kafka block changed, which needs a restart; nothing changed
   * @throws IllegalStateException when applying failed part way; the message says what was applied
   */
  public ReloadResult reload(GatewayConfig next) {
    requireNotOnEventLoop();
    changing.lock();
    try {
      lifecycle.requireRunning();
      return reconciler.reload(next);
    } finally {
      changing.unlock();
    }
  }

  private static void requireNotOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "a reload blocks; call it from a worker thread, not an event loop");
    }
  }

  /**
   * The deployment of every running receiver and endpoint, by component name as in {@link
   * ReloadResult}: a component that was left alone by a reload keeps its deployment id. For tests
   * and diagnostics.
   */
  public Map<String, String> deploymentIds() {
    Reconciler running = reconciler;
    return running == null ? Map.of() : running.deploymentIds();
  }

  /** What the status page shows. */
  public StatusService status() {
    return status;
  }

  /** The management port actually bound. */
  public int managementPort() {
    return management.actualPort();
  }

  /** Where the gateway is in its lifecycle; for tests. */
  Lifecycle.State state() {
    return lifecycle.state();
  }

  /**
   * The port receive_http {@code label} listens on: the one bound when its listen_port is 0; null
   * when no such receiver runs. Never waits for a reload.
   */
  public Integer ingestPort(String label) {
    String deployment = deploymentIds().get("pyroscope.receive_http." + label);
    return deployment == null ? null : HttpIngestVerticle.boundPort(vertx, deployment);
  }

  /** The management address as a URL, e.g. http://127.0.0.1:12345/, with the port bound. */
  public String managementUrl() {
    String host = options.managementHost();
    return "http://"
        + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + ":"
        + managementPort()
        + "/";
  }

  /**
   * Stops in reverse order of start: ingest stops accepting, deliveries settle and commit what is
   * done, then the producer flushes and Kafka stops; gives up waiting after {@link
   * #DEFAULT_STOP_TIMEOUT}. Idempotent.
   */
  public void stop() {
    stop(DEFAULT_STOP_TIMEOUT);
  }

  /**
   * Stops as {@link #stop()} does, waiting at most {@code timeout} for it: the first call starts
   * the stop, every call waits for that same stop. Clients and a broker that cannot stop cleanly
   * (after a fault or with a full disk, each waiting out its own timeouts) do not hold the caller:
   * what Kafka acknowledged is on disk already, and the process may exit.
   *
   * @return whether everything stopped within {@code timeout}
   */
  public boolean stop(Duration timeout) {
    return lifecycle.stop(timeout, this::stopInOrder);
  }

  private void stopInOrder() {
    health.stopping();
    kafka.stopWatching();
    changing.lock(); // a reload in progress finishes first
    try {
      if (reconciler != null) {
        reconciler.stopAll();
      }
    } finally {
      changing.unlock();
    }
    kafka.closeClients();
    quietly("leave the cluster", cluster::leave);
    quietly("close Vert.x", () -> await(vertx.close()));
    kafka.stopBroker();
    LOG.info("pyrogate stopped");
  }

  @Override
  public void close() {
    stop();
  }
}
