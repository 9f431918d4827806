package io.pyrogate;

import io.pyrogate.config.ConfigException;
import io.pyrogate.config.ConfigRenderer;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.EndpointVerticle;
import io.pyrogate.ingest.ConnectionSlots;
import io.pyrogate.ingest.HttpIngestVerticle;
import io.pyrogate.ingest.InflightBytes;
import io.pyrogate.ingest.KafkaSourceVerticle;
import io.pyrogate.kafka.EmbeddedKafka;
import io.pyrogate.kafka.GroupLag;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.Producers;
import io.pyrogate.kafka.TopicReceiver;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Health;
import io.pyrogate.ops.ManagementVerticle;
import io.pyrogate.ops.Metrics;
import io.pyrogate.ops.Reloader;
import io.pyrogate.record.ProfileReceiver;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: starts Kafka (embedded or the user's), creates topics, and deploys one
 * verticle per role in dependency order — management, delivery, then ingest — and stops them in
 * reverse. {@link #reload} brings the running components to a new configuration, in the same order,
 * redeploying only what changed.
 *
 * <p>{@link #start}, {@link #reload} and {@link #stop} block; call them from {@code main}, a worker
 * or a test, never from an event loop.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long DEPLOY_TIMEOUT_S = 60;
  private static final long KAFKA_CHECK_INTERVAL_MS = 2_000;

  /** Bytes of request bodies waiting for Kafka's acknowledgement, over all ingest instances. */
  static final long INGEST_INFLIGHT_BYTES = 64L * 1024 * 1024;

  private static final int REBIND_ATTEMPTS = 50;
  private static final long REBIND_PAUSE_MS = 20;

  /** How often each endpoint's lag ({@code pyrogate_endpoint_lag_records}) is read from Kafka. */
  private static final long LAG_INTERVAL_MS = 5_000;

  /**
   * The first wait between attempts to restart a failed embedded broker; doubles up to the next.
   */
  private static final long BROKER_RESTART_MIN_MS = 2_000;

  private static final long BROKER_RESTART_MAX_MS = 10_000;

  /**
   * How long a restart waits for the failed broker to stop; the next attempt waits for the same
   * stop again.
   */
  private static final Duration BROKER_STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long {@link #stop()} waits: within Kubernetes' default terminationGracePeriodSeconds of 30.
   */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(25);

  /** Where and how to run; the command-line flags of {@code pyrogate run}. */
  public record Options(
      Path storagePath, String managementHost, int managementPort, int ingestInstances) {
    public static Options defaults(Path storagePath) {
      return new Options(
          storagePath, "127.0.0.1", 12345, Runtime.getRuntime().availableProcessors());
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

  /**
   * What a reload did, by component: {@code pyroscope.receive_http.LABEL}, {@code
   * pyroscope.receive_kafka.LABEL}, {@code pyroscope.write.LABEL} and {@code pyroscope.write.LABEL
   * endpoint "NAME"}, in the order they were applied.
   */
  public record ReloadResult(List<String> added, List<String> changed, List<String> removed) {
    public ReloadResult {
      added = List.copyOf(added);
      changed = List.copyOf(changed);
      removed = List.copyOf(removed);
    }

    public boolean unchanged() {
      return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** For people: "config unchanged", or a line per kind of change naming the components. */
    public String describe() {
      if (unchanged()) {
        return "config unchanged";
      }
      StringBuilder b = new StringBuilder();
      line(b, "added", added);
      line(b, "changed", changed);
      line(b, "removed", removed);
      return b.toString().stripTrailing();
    }

    private static void line(StringBuilder b, String kind, List<String> components) {
      if (!components.isEmpty()) {
        b.append(kind).append(": ").append(String.join(", ", components)).append('\n');
      }
    }
  }

  /** A deployed component: the configuration it runs with and its deployment. */
  private record Running<C>(C config, String deploymentId) {}

  /**
   * An endpoint is identified by its write component and its name (which names its consumer group).
   */
  private record EndpointKey(String write, String name) {
    String component() {
      return writeComponent(write) + " endpoint \"" + name + "\"";
    }
  }

  /**
   * What an endpoint's delivery depends on: its block and its write component's external_labels.
   */
  private record EndpointSpec(Endpoint endpoint, Map<String, String> externalLabels) {}

  /** Collects what a reload did while it goes. */
  private static final class Changes {
    final List<String> added = new ArrayList<>();
    final List<String> changed = new ArrayList<>();
    final List<String> removed = new ArrayList<>();

    ReloadResult result() {
      return new ReloadResult(added, changed, removed);
    }
  }

  private final Vertx vertx;
  private final Health health = new Health();
  private final Metrics metrics = new Metrics();

  /** Serializes start, reloads and stop: one changes the running components at a time. */
  private final ReentrantLock lifecycle = new ReentrantLock();

  private final AtomicBoolean stopped = new AtomicBoolean();

  /** Completes when the stop the first {@link #stop} call started has finished. */
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();

  private volatile boolean started;
  private Options options;
  private ConfigSource source;

  /** The kafka block as configured: a reload that changes it is refused. */
  private KafkaSettings configuredKafka;

  /** The kafka settings in use (with the embedded broker's address). */
  private KafkaSettings kafka;

  private KafkaClients clients;
  private Topics topics;
  private InflightBytes inflight;

  /** The receiver of each write component whose topics exist, by label. */
  private final Map<String, TopicReceiver> writes = new LinkedHashMap<>();

  private final Map<EndpointKey, Running<EndpointSpec>> endpoints = new LinkedHashMap<>();
  private final Map<String, Running<ReceiveHttpComponent>> receivers = new LinkedHashMap<>();
  private final Map<String, Running<ReceiveKafkaComponent>> sources = new LinkedHashMap<>();

  /** Ports a receiver stopped listening on during the reload in progress. */
  private final Set<Integer> releasedPorts = new HashSet<>();

  private StorageLock storageLock;

  /**
   * The embedded broker, replaced when it is restarted after a failure; changed under {@link
   * #brokerLock}.
   */
  private volatile EmbeddedKafka embedded;

  private final Object brokerLock = new Object();
  private final AtomicBoolean brokerRestarting = new AtomicBoolean();
  private volatile long nextBrokerRestart = System.nanoTime();
  private volatile long brokerRestartWaitMs = BROKER_RESTART_MIN_MS;
  private Admin admin;
  private Producers producer;
  private GroupLag lag;
  private ManagementVerticle management;
  private long kafkaCheckTimer = -1;
  private final AtomicBoolean kafkaCheckRunning = new AtomicBoolean();

  private Gateway() {
    // Netty's epoll transport where it is available (Linux x86-64), NIO elsewhere: less CPU per
    // request.
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
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
    Gateway gateway = new Gateway();
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
    lifecycle.lock();
    try {
      this.options = options;
      this.source = source;
      LOG.info(
          "effective configuration (secrets redacted):\n{}",
          ConfigRenderer.render(config).stripTrailing());
      management =
          new ManagementVerticle(
              options.managementHost(),
              options.managementPort(),
              health,
              source == null ? null : () -> reloadFromSource().describe(),
              metrics);
      await(vertx.deployVerticle(management));

      configuredKafka = config.kafka();
      kafka = configuredKafka;
      if (kafka.embedded()) {
        // Before the broker opens any file there: a second instance must not touch a running
        // broker's log.
        storageLock = StorageLock.acquire(options.storagePath());
        embedded =
            EmbeddedKafka.start(
                options.storagePath().resolve("kafka"), kafka.embeddedHost(), kafka.embeddedPort());
        kafka = kafka.withBootstrapServers(embedded.bootstrapServers());
      }
      clients = new KafkaClients(kafka);
      admin = Admin.create(clients.admin());
      topics = new Topics(admin, kafka);
      lag = new GroupLag(vertx, admin, LAG_INTERVAL_MS);
      // Two producers: the broker handles one request per connection at a time, so one shared
      // producer serialised
      // every event loop's writes (scripts/bench: ingest +10-15 % with two). Not one per core: each
      // keeps up to
      // buffer.memory (64 MiB) of pooled batch buffers.
      producer = new Producers(vertx, clients.producer(), Math.min(2, options.ingestInstances()));
      inflight = new InflightBytes(INGEST_INFLIGHT_BYTES);
      metrics.ingestInflight(inflight::used);

      // Ingest consults the Kafka state readiness reports: it is known before ingest takes its
      // first request.
      try {
        admin.describeCluster().nodes().get(KAFKA_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        health.kafkaReachable();
      } catch (ExecutionException | TimeoutException e) {
        health.kafkaUnreachable("Kafka unreachable: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      // From nothing to the configuration: topics, then delivery, then ingest.
      apply(config, new Changes());

      checkKafka();
      kafkaCheckTimer = vertx.setPeriodic(KAFKA_CHECK_INTERVAL_MS, id -> checkKafka());
      started = true;
      health.started();
    } finally {
      lifecycle.unlock();
    }
    LOG.info(
        "pyrogate {} started in {} ms ({} transport): {}",
        Version.get(),
        (System.nanoTime() - began) / 1_000_000,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        config.summary());
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
    lifecycle.lock();
    try {
      checkCanReload();
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
        throw e;
      }
      return reload(next);
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Changes the running components to {@code next}, touching only those whose configuration
   * changed: endpoints by write label and name, receivers by label, both redeployed when their
   * configuration differs, deployed when new, undeployed when gone. A new write component gets its
   * topics first, then its endpoints (whose consumer groups start at the end of the topic), and
   * only then the receivers that forward to it. Unchanged components keep running as they are.
   * Reloads are serialized. Blocking; never call it from an event loop.
   *
   * @throws ConfigException when the kafka block changed, which needs a restart; nothing changed
   * @throws IllegalStateException when applying failed part way; the message says what was applied
   */
  public ReloadResult reload(GatewayConfig next) {
    requireNotOnEventLoop();
    lifecycle.lock();
    try {
      checkCanReload();
      if (!next.kafka().equals(configuredKafka)) {
        ConfigException e = new ConfigException(KAFKA_CHANGED + "\n", List.of());
        LOG.error(
            "configuration reload refused, the running configuration stays: {}", KAFKA_CHANGED);
        throw e;
      }
      Changes changes = new Changes();
      try {
        apply(next, changes);
      } catch (RuntimeException e) {
        ReloadResult partial = changes.result();
        String applied =
            partial.unchanged()
                ? "nothing was changed"
                : "applied before it: " + partial.describe().replace("\n", "; ");
        LOG.error("configuration reload failed: {}; {}", e.getMessage(), applied);
        throw new IllegalStateException(e.getMessage() + "; " + applied, e);
      }
      ReloadResult result = changes.result();
      if (result.unchanged()) {
        LOG.info("configuration reloaded: unchanged");
      } else {
        LOG.info(
            "configuration reloaded: {}; now {}",
            result.describe().replace("\n", "; "),
            next.summary());
        LOG.info(
            "effective configuration (secrets redacted):\n{}",
            ConfigRenderer.render(next).stripTrailing());
      }
      return result;
    } finally {
      lifecycle.unlock();
    }
  }

  static final String KAFKA_CHANGED = "the kafka block changed; restart pyrogate to apply it";

  private static void requireNotOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "a reload blocks; call it from a worker thread, not an event loop");
    }
  }

  private void checkCanReload() {
    if (stopped.get()) {
      throw new Reloader.Unavailable("pyrogate is stopping; not reloading");
    }
    if (!started) {
      throw new Reloader.Unavailable("pyrogate is starting; reload once it is ready");
    }
  }

  /**
   * Brings the running components to {@code next}, recording each step in {@code changes}. Holds
   * the lock.
   */
  private void apply(GatewayConfig next, Changes changes) {
    releasedPorts.clear();
    // 1. Topics of new write components, so their consumer groups and receivers have somewhere to
    // go, and the
    // dead-letter topics of new Kafka sources.
    List<WriteComponent> newWrites =
        next.writes().stream().filter(w -> !writes.containsKey(w.label())).toList();
    List<String> topicNames = new ArrayList<>();
    for (WriteComponent w : newWrites) {
      topicNames.add(Topics.writeTopic(kafka, w.label()));
      topicNames.add(Topics.deadLetterTopic(kafka, w.label()));
    }
    for (ReceiveKafkaComponent k : next.kafkaSources()) {
      if (!sources.containsKey(k.label())) {
        topicNames.add(Topics.sourceDeadLetterTopic(kafka, k.label()));
      }
    }
    if (!topicNames.isEmpty()) {
      topics.ensureTopics(topicNames);
      for (WriteComponent w : newWrites) {
        writes.put(
            w.label(),
            new TopicReceiver(w.label(), Topics.writeTopic(kafka, w.label()), producer, health));
        changes.added.add(writeComponent(w.label()));
      }
    }

    // 2. Delivery: gone endpoints stop (committing what is done), changed ones resume from their
    // group's
    // offsets with the new settings, new ones start at the end of their topic.
    Map<EndpointKey, EndpointSpec> wantedEndpoints = new LinkedHashMap<>();
    Map<String, WriteComponent> nextWrites = new LinkedHashMap<>();
    for (WriteComponent w : next.writes()) {
      nextWrites.put(w.label(), w);
      for (Endpoint e : w.endpoints()) {
        wantedEndpoints.put(
            new EndpointKey(w.label(), e.name()), new EndpointSpec(e, w.externalLabels()));
      }
    }
    for (EndpointKey key : List.copyOf(endpoints.keySet())) {
      if (!wantedEndpoints.containsKey(key)) {
        undeploy(endpoints.remove(key).deploymentId());
        lag.untrack(Topics.endpointGroup(kafka, key.write(), key.name()));
        changes.removed.add(key.component());
      }
    }
    wantedEndpoints.forEach(
        (key, spec) -> {
          Running<EndpointSpec> running = endpoints.get(key);
          if (running == null) {
            topics.initGroupOffsets(
                Topics.endpointGroup(kafka, key.write(), key.name()),
                Topics.writeTopic(kafka, key.write()));
            endpoints.put(
                key, new Running<>(spec, deployEndpoint(key, nextWrites.get(key.write()), spec)));
            changes.added.add(key.component());
          } else if (!running.config().equals(spec)) {
            // One consumer per group and instance: the old one commits and leaves before the new
            // one joins.
            undeploy(running.deploymentId());
            endpoints.remove(key);
            endpoints.put(
                key, new Running<>(spec, deployEndpoint(key, nextWrites.get(key.write()), spec)));
            changes.changed.add(key.component());
          }
        });

    // 3. Ingest, HTTP: gone receivers stop listening (freeing their ports), changed ones are
    // replaced, new ones listen.
    Map<String, ReceiveHttpComponent> wantedReceivers = new LinkedHashMap<>();
    next.receivers().forEach(r -> wantedReceivers.put(r.label(), r));
    for (String label : List.copyOf(receivers.keySet())) {
      if (!wantedReceivers.containsKey(label)) {
        Running<ReceiveHttpComponent> gone = receivers.remove(label);
        undeploy(gone.deploymentId());
        releasedPorts.add(gone.config().server().listenPort());
        LOG.info("pyroscope.receive_http \"{}\" stopped", label);
        changes.removed.add(receiveComponent(label));
      }
    }
    wantedReceivers.forEach(
        (label, r) -> {
          Running<ReceiveHttpComponent> running = receivers.get(label);
          if (running == null) {
            receivers.put(label, new Running<>(r, deployReceiver(r)));
            changes.added.add(receiveComponent(label));
          } else if (!running.config().equals(r)) {
            replaceReceiver(running, r);
            changes.changed.add(receiveComponent(label));
          }
        });

    // Kafka sources: one consumer group each, so a changed one stops (committing what its writes
    // acknowledged)
    // before its replacement joins the group.
    Map<String, ReceiveKafkaComponent> wantedSources = new LinkedHashMap<>();
    next.kafkaSources().forEach(k -> wantedSources.put(k.label(), k));
    for (String label : List.copyOf(sources.keySet())) {
      if (!wantedSources.containsKey(label)) {
        undeploy(sources.remove(label).deploymentId());
        changes.removed.add(sourceComponent(label));
      }
    }
    wantedSources.forEach(
        (label, k) -> {
          Running<ReceiveKafkaComponent> running = sources.get(label);
          if (running == null) {
            sources.put(label, new Running<>(k, deploySource(k)));
            changes.added.add(sourceComponent(label));
          } else if (!running.config().equals(k)) {
            undeploy(running.deploymentId());
            sources.remove(label);
            sources.put(label, new Running<>(k, deploySource(k)));
            changes.changed.add(sourceComponent(label));
          }
        });

    // 4. Write components nobody forwards to any more: their topics stay (with what they hold), no
    // one uses them.
    Set<String> wantedWrites = new HashSet<>();
    next.writes().forEach(w -> wantedWrites.add(w.label()));
    for (String label : List.copyOf(writes.keySet())) {
      if (!wantedWrites.contains(label)) {
        writes.remove(label);
        changes.removed.add(writeComponent(label));
      }
    }
  }

  private String deployEndpoint(EndpointKey key, WriteComponent write, EndpointSpec spec) {
    String group = Topics.endpointGroup(kafka, key.write(), key.name());
    String topic = Topics.writeTopic(kafka, key.write());
    Metrics.EndpointMetrics endpointMetrics =
        metrics.endpoint(key.write(), spec.endpoint().url().toString());
    lag.track(group, topic, endpointMetrics.lagRecords());
    return await(
        vertx.deployVerticle(
            new EndpointVerticle(
                write,
                spec.endpoint(),
                topic,
                clients.consumer(group),
                producer,
                Topics.deadLetterTopic(kafka, key.write()),
                endpointMetrics)));
  }

  private String deploySource(ReceiveKafkaComponent k) {
    List<ProfileReceiver> targets =
        k.forwardTo().stream().<ProfileReceiver>map(writes::get).toList();
    return await(
        vertx.deployVerticle(
            new KafkaSourceVerticle(
                k,
                new KafkaClients(k.asKafkaSettings()).consumer(k.groupId()),
                targets,
                producer,
                Topics.sourceDeadLetterTopic(kafka, k.label()),
                metrics.ingest("pyroscope.receive_kafka." + k.label()))));
  }

  private String deployReceiver(ReceiveHttpComponent r) {
    List<ProfileReceiver> targets =
        r.forwardTo().stream().<ProfileReceiver>map(writes::get).toList();
    String id;
    for (int attempt = 1; ; attempt++) {
      ConnectionSlots slots = new ConnectionSlots(r.server().connLimit(), r.server().readTimeout());
      try {
        Metrics.IngestMetrics ingestMetrics = metrics.ingest("pyroscope.receive_http." + r.label());
        id =
            await(
                vertx.deployVerticle(
                    () -> new HttpIngestVerticle(r, targets, inflight, slots, ingestMetrics),
                    new DeploymentOptions().setInstances(options.ingestInstances())));
        break;
      } catch (RuntimeException e) {
        // Vert.x completes an undeploy a few milliseconds before it lets go of the port for a new
        // server: a
        // port released by this reload is tried again for a moment before it counts as taken.
        if (!releasedPorts.contains(r.server().listenPort())
            || !isBindFailure(e)
            || attempt >= REBIND_ATTEMPTS) {
          throw e;
        }
        pause(REBIND_PAUSE_MS);
      }
    }
    LOG.info(
        "pyroscope.receive_http \"{}\" listening on {}:{}",
        r.label(),
        r.server().listenAddress(),
        r.server().listenPort());
    return id;
  }

  /**
   * Replaces a receiver whose configuration changed. The new one is deployed first: on the same
   * address and port it joins the old one's listening socket, so the port never refuses
   * connections. Only when it cannot listen beside the old one (the same port on another address)
   * is the old one stopped first; if the new one then fails, the old one is started again.
   */
  private void replaceReceiver(Running<ReceiveHttpComponent> old, ReceiveHttpComponent next) {
    String label = next.label();
    String id;
    try {
      id = deployReceiver(next);
    } catch (RuntimeException beside) {
      if (old.config().server().listenPort() != next.server().listenPort()) {
        throw beside; // the old one keeps serving
      }
      LOG.warn(
          "pyroscope.receive_http \"{}\" cannot listen beside its previous configuration ({}); stopping that "
              + "first, port {} refuses connections meanwhile",
          label,
          beside.getMessage(),
          next.server().listenPort());
      undeploy(old.deploymentId());
      receivers.remove(label);
      releasedPorts.add(old.config().server().listenPort());
      try {
        id = deployReceiver(next);
      } catch (RuntimeException instead) {
        receivers.put(label, new Running<>(old.config(), deployReceiver(old.config())));
        LOG.warn("pyroscope.receive_http \"{}\" runs on with its previous configuration", label);
        throw instead;
      }
      receivers.put(label, new Running<>(next, id));
      return;
    }
    undeploy(old.deploymentId());
    receivers.put(label, new Running<>(next, id));
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void undeploy(String deploymentId) {
    await(vertx.undeploy(deploymentId));
  }

  private static String writeComponent(String label) {
    return "pyroscope.write." + label;
  }

  private static String receiveComponent(String label) {
    return "pyroscope.receive_http." + label;
  }

  private static String sourceComponent(String label) {
    return "pyroscope.receive_kafka." + label;
  }

  /**
   * The deployment of every running receiver and endpoint, by component name as in {@link
   * ReloadResult}: a component that was left alone by a reload keeps its deployment id. For tests
   * and diagnostics.
   */
  public Map<String, String> deploymentIds() {
    lifecycle.lock();
    try {
      Map<String, String> ids = new LinkedHashMap<>();
      endpoints.forEach((key, running) -> ids.put(key.component(), running.deploymentId()));
      receivers.forEach(
          (label, running) -> ids.put(receiveComponent(label), running.deploymentId()));
      sources.forEach((label, running) -> ids.put(sourceComponent(label), running.deploymentId()));
      return Map.copyOf(ids);
    } finally {
      lifecycle.unlock();
    }
  }

  /** The management port actually bound. */
  public int managementPort() {
    return management.actualPort();
  }

  /** The port receive_http {@code label} listens on: the one bound when its listen_port is 0. */
  public int ingestPort(String label) {
    lifecycle.lock();
    try {
      return HttpIngestVerticle.boundPort(vertx, receivers.get(label).deploymentId());
    } finally {
      lifecycle.unlock();
    }
  }

  public Health health() {
    return health;
  }

  /** The Kafka bootstrap servers in use: the embedded broker's, or the configured ones. */
  public String bootstrapServers() {
    return embedded != null ? embedded.bootstrapServers() : null;
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
    if (stopped.compareAndSet(false, true)) {
      Thread stopper =
          new Thread(
              () -> {
                try {
                  stopInOrder();
                  stopping.complete(null);
                } catch (RuntimeException | Error e) {
                  stopping.completeExceptionally(e);
                }
              },
              "pyrogate-stop");
      stopper.setDaemon(true);
      stopper.start();
    }
    try {
      stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warn(
          "pyrogate did not stop within {} ms; giving up waiting (what Kafka acknowledged is on disk)",
          timeout.toMillis());
      return false;
    } catch (ExecutionException e) {
      LOG.warn("pyrogate did not stop cleanly: {}", e.getCause().toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stopInOrder() {
    health.stopping();
    lifecycle.lock(); // a reload in progress finishes first
    try {
      if (kafkaCheckTimer >= 0) {
        vertx.cancelTimer(kafkaCheckTimer);
      }
      if (lag != null) {
        lag.close();
      }
      List<String> ingest = new ArrayList<>();
      receivers.values().forEach(r -> ingest.add(r.deploymentId()));
      sources.values().forEach(k -> ingest.add(k.deploymentId()));
      undeployAll(ingest);
      receivers.clear();
      sources.clear();
      undeployAll(endpoints.values().stream().map(Running::deploymentId).toList());
      endpoints.clear();
    } finally {
      lifecycle.unlock();
    }
    if (producer != null) {
      quietly("close producer", () -> await(producer.close(10_000)));
    }
    if (admin != null) {
      quietly("close admin", () -> admin.close(Duration.ofSeconds(5)));
    }
    quietly("close Vert.x", () -> await(vertx.close()));
    synchronized (brokerLock) {
      if (embedded != null) {
        quietly("stop embedded Kafka", embedded::close);
      }
    }
    if (storageLock != null) {
      storageLock.close();
    }
    LOG.info("pyrogate stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private void checkKafka() {
    EmbeddedKafka broker = embedded;
    if (broker != null && broker.fatalError() != null) {
      health.kafkaUnreachable(broker.fatalError());
      restartEmbedded(broker);
      return;
    }
    if (!kafkaCheckRunning.compareAndSet(false, true)) {
      return;
    }
    vertx
        .executeBlocking(
            () ->
                admin.describeCluster().nodes().get(KAFKA_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS),
            false)
        .onComplete(
            ar -> {
              kafkaCheckRunning.set(false);
              String fatal = embedded == null ? null : embedded.fatalError();
              if (fatal != null) {
                health.kafkaUnreachable(fatal);
              } else if (ar.succeeded() && !ar.result().isEmpty()) {
                health.kafkaReachable();
              } else {
                health.kafkaUnreachable(
                    "Kafka unreachable: " + (ar.failed() ? ar.cause().getMessage() : "no brokers"));
              }
            });
  }

  /**
   * Brings a failed embedded broker back (its disk filled up, or it failed fatally): stops it and
   * starts it again over the same data and address, so clients reconnect by themselves. Tried at
   * every Kafka check, waiting from {@link #BROKER_RESTART_MIN_MS} doubling up to {@link
   * #BROKER_RESTART_MAX_MS} between failed attempts, for as long as it takes (space may return
   * hours later). Not ready meanwhile.
   */
  private void restartEmbedded(EmbeddedKafka failed) {
    if (stopped.get()
        || System.nanoTime() < nextBrokerRestart
        || !brokerRestarting.compareAndSet(false, true)) {
      return;
    }
    LOG.warn("embedded Kafka failed ({}); restarting it", failed.fatalError());
    vertx
        .executeBlocking(
            () -> {
              synchronized (brokerLock) {
                if (!stopped.get()) {
                  embedded = failed.restart(BROKER_STOP_TIMEOUT);
                }
              }
              return null;
            },
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                brokerRestartWaitMs = BROKER_RESTART_MIN_MS;
                LOG.info("embedded Kafka restarted over the same data");
              } else {
                nextBrokerRestart =
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(brokerRestartWaitMs);
                LOG.warn(
                    "embedded Kafka could not restart ({}); next attempt in {} ms",
                    ar.cause().getMessage(),
                    brokerRestartWaitMs);
                brokerRestartWaitMs = Math.min(brokerRestartWaitMs * 2, BROKER_RESTART_MAX_MS);
              }
              brokerRestarting.set(false);
              checkKafka();
            });
  }

  private void undeployAll(List<String> ids) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(vertx.undeploy(id).onFailure(e -> LOG.warn("undeploy failed: {}", e.getMessage())));
    }
    quietly("undeploy", () -> await(Future.join(all)));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re
          ? re
          : new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + DEPLOY_TIMEOUT_S + " s", e);
    }
  }

  private static void quietly(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("could not {} cleanly: {}", what, e.getMessage());
    }
  }
}
