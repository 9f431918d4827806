package io.pyrogate;

import static io.pyrogate.Blocking.await;
import static io.pyrogate.Blocking.quietly;

import io.pyrogate.cluster.ClusterRuntime;
import io.pyrogate.config.ConfigException;
import io.pyrogate.config.ConfigRenderer;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.ForwardTarget;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.LoggingSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.config.RelabelComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.EndpointVerticle;
import io.pyrogate.ingest.ConnectionSlots;
import io.pyrogate.ingest.HttpIngestVerticle;
import io.pyrogate.ingest.InflightBytes;
import io.pyrogate.ingest.KafkaSourceVerticle;
import io.pyrogate.ingest.RelabelReceiver;
import io.pyrogate.kafka.GroupLag;
import io.pyrogate.kafka.KafkaAvailability;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.Producers;
import io.pyrogate.kafka.TopicReceiver;
import io.pyrogate.kafka.Topics;
import io.pyrogate.logging.Logging;
import io.pyrogate.ops.Metrics;
import io.pyrogate.ops.status.EndpointBoard;
import io.pyrogate.record.ProfileReceiver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the running components to a configuration: from nothing at start, then from the running
 * configuration to a reloaded one, touching only what changed. Every kind of component — an
 * endpoint's delivery, an HTTP receiver, a Kafka source — goes through the same step ({@link
 * Components#reconcile}): the gone ones stop, then, in the configuration's order, the new ones
 * start and the changed ones are replaced ({@link ComponentDiff}). The order between kinds keeps
 * data flowing: a new write component's topics first, then delivery, then ingest, and write
 * components nobody forwards to any more last.
 *
 * <p>Blocking, and not thread-safe: the {@link Gateway} calls it under its lock, never from an
 * event loop.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** Bytes of request bodies waiting for Kafka's acknowledgement, over all ingest instances. */
  static final long INGEST_INFLIGHT_BYTES = 64L * 1024 * 1024;

  private static final int REBIND_ATTEMPTS = 50;
  private static final long REBIND_PAUSE_MS = 20;

  private static final String KAFKA_CHANGED =
      "the kafka block changed; restart pyrogate to apply it";

  /** A deployed component: the configuration it runs with and its deployment. */
  private record Running<C>(C config, String deploymentId) {}

  /**
   * An endpoint is identified by its write component and its name (which names its consumer group).
   */
  record EndpointKey(String write, String name) {}

  /**
   * What an endpoint's delivery depends on: its block and its write component's external_labels.
   */
  record EndpointSpec(Endpoint endpoint, Map<String, String> externalLabels) {}

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

  /** The kafka block as configured: a reload that changes it is refused. */
  private final KafkaSettings configuredKafka;

  /** The kafka settings in use (with the embedded broker's address). */
  private final KafkaSettings kafka;

  private final KafkaClients clients;
  private final Topics topics;
  private final Producers producers;
  private final GroupLag lag;
  private final Metrics metrics;
  private final KafkaAvailability availability;
  private final int ingestInstances;
  private final EndpointBoard endpointBoard;
  private final ClusterRuntime cluster;
  private final InflightBytes inflight = new InflightBytes(INGEST_INFLIGHT_BYTES);

  /** The receiver of each write component whose topics exist, by label. */
  private final Map<String, TopicReceiver> writes = new LinkedHashMap<>();

  /** The receiver of each relabel component, by label, and the configuration it runs with. */
  private final Map<String, RelabelReceiver> relabels = new LinkedHashMap<>();

  private final Map<String, RelabelComponent> relabelConfigs = new LinkedHashMap<>();

  private final Endpoints endpoints = new Endpoints();
  private final Receivers receivers = new Receivers();
  private final Sources sources = new Sources();

  /** Ports a receiver stopped listening on during the reload in progress. */
  private final Set<Integer> releasedPorts = new HashSet<>();

  /** The configuration being applied. */
  private GatewayConfig applying;

  private volatile Map<String, String> published = Map.of();

  /** The logging block in use (with the command line's flags). */
  private LoggingSettings logging;

  /**
   * @param availability what the write components' receivers tell when Kafka fails a write
   * @param ingestInstances event-loop instances of each HTTP receiver
   * @param cluster what cluster mode shares: endpoints' back-off and the lag reading
   */
  Reconciler(
      Vertx vertx,
      KafkaRuntime kafka,
      Metrics metrics,
      KafkaAvailability availability,
      int ingestInstances,
      EndpointBoard endpointBoard,
      ClusterRuntime cluster) {
    this.vertx = vertx;
    this.configuredKafka = kafka.configured();
    this.kafka = kafka.settings();
    this.clients = kafka.clients();
    this.topics = new Topics(kafka.admin(), this.kafka);
    this.producers = kafka.producers();
    this.lag =
        new GroupLag(
            vertx, kafka.admin(), clients.consumer("pyrogate-lag-reader"), cluster.lagPolling());
    this.metrics = metrics;
    this.availability = availability;
    this.ingestInstances = ingestInstances;
    this.endpointBoard = endpointBoard;
    this.cluster = cluster;
    metrics.ingestInflight(inflight::used, inflight.capacity());
  }

  /** From nothing to {@code config}: topics, then delivery, then ingest. */
  void start(GatewayConfig config) {
    logging = config.logging();
    apply(config, new Changes());
  }

  /**
   * Brings the running components to {@code next}, touching only those whose configuration changed:
   * endpoints by write label and name, receivers and sources by label, each redeployed when its
   * configuration differs, deployed when new, undeployed when gone. A new write component gets its
   * topics first, then its endpoints (whose consumer groups start at the end of the topic), and
   * only then the receivers that forward to it. Unchanged components keep running as they are.
   *
   * @throws ConfigException when the kafka block changed, which needs a restart; nothing changed
   * @throws IllegalStateException when applying failed part way; the message says what was applied
   */
  ReloadResult reload(GatewayConfig next) {
    if (!next.kafka().equals(configuredKafka)) {
      LOG.error("configuration reload refused, the running configuration stays: {}", KAFKA_CHANGED);
      throw new ConfigException(KAFKA_CHANGED + "\n", List.of());
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
    if (!next.logging().equals(logging)) {
      logging = next.logging();
      Logging.apply(logging);
      changes.changed.add("logging");
    }
    ReloadResult result = changes.result();
    if (result.unchanged()) {
      LOG.info("configuration reloaded: unchanged");
    } else {
      LOG.info(
          "configuration reloaded: {}; now {}",
          result.describe().replace("\n", "; "),
          next.summary());
      LOG.debug(
          "effective configuration (secrets redacted):\n{}",
          ConfigRenderer.render(next).stripTrailing());
    }
    return result;
  }

  /** Brings the running components to {@code next}, recording each step in {@code changes}. */
  private void apply(GatewayConfig next, Changes changes) {
    try {
      applyUnpublished(next, changes);
    } finally {
      published = collectDeploymentIds();
    }
  }

  private void applyUnpublished(GatewayConfig next, Changes changes) {
    this.applying = next;
    releasedPorts.clear();
    Map<EndpointKey, EndpointSpec> wantedEndpoints = endpointsOf(next);
    Map<String, ReceiveHttpComponent> wantedReceivers = new LinkedHashMap<>();
    next.receivers().forEach(r -> wantedReceivers.put(r.label(), r));
    Map<String, ReceiveKafkaComponent> wantedSources = new LinkedHashMap<>();
    next.kafkaSources().forEach(k -> wantedSources.put(k.label(), k));

    // 1. Topics of new write components, so their consumer groups and receivers have somewhere to
    // go, and the dead-letter topics of new Kafka sources.
    List<WriteComponent> newWrites =
        next.writes().stream().filter(w -> !writes.containsKey(w.label())).toList();
    List<String> topicNames = new ArrayList<>();
    for (WriteComponent w : newWrites) {
      topicNames.add(Topics.writeTopic(kafka, w.label()));
      topicNames.add(Topics.deadLetterTopic(kafka, w.label()));
    }
    for (String label : sources.diff(wantedSources).keys(ComponentDiff.Action.ADD)) {
      topicNames.add(Topics.sourceDeadLetterTopic(kafka, label));
    }
    if (!topicNames.isEmpty()) {
      topics.ensureTopics(topicNames);
      for (WriteComponent w : newWrites) {
        writes.put(
            w.label(),
            new TopicReceiver(
                w.label(), Topics.writeTopic(kafka, w.label()), producers, availability));
        changes.added.add(writeComponent(w.label()));
      }
    }

    // Relabel components: new ones are built, changed ones re-wired in place (the receivers that
    // forward to them keep running), all forwarding to write components that exist by now.
    applyRelabels(next, changes);

    // 2. Delivery: gone endpoints stop (committing what is done), changed ones resume from their
    // group's offsets with the new settings, new ones start at the end of their topic.
    endpoints.reconcile(wantedEndpoints, changes);

    // 3. Ingest: gone receivers stop listening (freeing their ports), changed ones are replaced,
    // new ones listen; Kafka sources likewise.
    receivers.reconcile(wantedReceivers, changes);
    sources.reconcile(wantedSources, changes);

    // Relabel components nobody forwards to any more.
    Set<String> wantedRelabels = new HashSet<>();
    next.relabels().forEach(r -> wantedRelabels.add(r.label()));
    for (String label : List.copyOf(relabels.keySet())) {
      if (!wantedRelabels.contains(label)) {
        relabels.remove(label);
        relabelConfigs.remove(label);
        changes.removed.add(ForwardTarget.relabel(label));
      }
    }

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

  /**
   * Builds the relabel components {@code next} adds, then gives each its configuration and targets
   * (a relabel may forward to another, so all exist before any is wired).
   */
  private void applyRelabels(GatewayConfig next, Changes changes) {
    for (RelabelComponent r : next.relabels()) {
      if (!relabels.containsKey(r.label())) {
        relabels.put(r.label(), new RelabelReceiver(r, List.of(), metrics.relabel(r.label())));
        changes.added.add(r.componentId());
      }
    }
    for (RelabelComponent r : next.relabels()) {
      RelabelComponent old = relabelConfigs.put(r.label(), r);
      relabels.get(r.label()).update(r, targets(r.forwardTo()));
      if (old != null && !old.equals(r)) {
        changes.changed.add(r.componentId());
      }
    }
  }

  /** The receivers of forward_to targets ({@link ForwardTarget}): write or relabel components. */
  private List<ProfileReceiver> targets(List<String> forwardTo) {
    return forwardTo.stream()
        .<ProfileReceiver>map(
            t -> ForwardTarget.isRelabel(t) ? relabels.get(ForwardTarget.label(t)) : writes.get(t))
        .toList();
  }

  /**
   * The endpoints {@code config} delivers to, in its order. An endpoint's delivery runs with its
   * block and its write component's external_labels: a change of either replaces it, a change of a
   * sibling endpoint does not.
   */
  static Map<EndpointKey, EndpointSpec> endpointsOf(GatewayConfig config) {
    Map<EndpointKey, EndpointSpec> endpoints = new LinkedHashMap<>();
    for (WriteComponent w : config.writes()) {
      for (Endpoint e : w.endpoints()) {
        endpoints.put(
            new EndpointKey(w.label(), e.name()), new EndpointSpec(e, w.externalLabels()));
      }
    }
    return endpoints;
  }

  /**
   * The deployment of every running receiver, source and endpoint, by component name as in {@link
   * ReloadResult}, as the last start or reload left them. Safe from any thread without the caller's
   * lock, so the status page on an event loop never waits for a reload.
   */
  Map<String, String> deploymentIds() {
    return published;
  }

  private Map<String, String> collectDeploymentIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    endpoints.putDeploymentIds(ids);
    receivers.putDeploymentIds(ids);
    sources.putDeploymentIds(ids);
    return Map.copyOf(ids);
  }

  /**
   * Stops every component: ingest first, so nothing new is accepted, then delivery, which commits
   * what is done. Failures are logged; the stop goes on.
   */
  void stopAll() {
    published = Map.of();
    lag.close();
    List<String> ingest = new ArrayList<>(receivers.deploymentIds());
    ingest.addAll(sources.deploymentIds());
    undeployAll(ingest);
    receivers.running.clear();
    sources.running.clear();
    undeployAll(endpoints.deploymentIds());
    endpoints.running.clear();
  }

  /**
   * The running components of one kind and how one of them starts, is replaced and stops; {@link
   * #reconcile} is the one step that brings each kind to the configuration.
   *
   * @param <K> what identifies a component across configurations
   * @param <C> the configuration it runs with
   */
  private abstract class Components<K, C> {
    final Map<K, Running<C>> running = new LinkedHashMap<>();

    /** Its name in a {@link ReloadResult}. */
    abstract String component(K key);

    /** Deploys it; returns the deployment id. */
    abstract String deploy(K key, C config);

    /** Deploys a new one; returns the deployment id. */
    String add(K key, C config) {
      return deploy(key, config);
    }

    /**
     * Replaces a running one whose configuration changed. The old one stops before its successor
     * starts: a consumer group takes one consumer per instance, so the old one commits and leaves
     * before the new one joins.
     */
    void replace(K key, Running<C> old, C next) {
      undeploy(old.deploymentId());
      running.remove(key);
      running.put(key, new Running<>(next, deploy(key, next)));
    }

    /** After a component the configuration no longer has was undeployed. */
    void removed(K key, Running<C> gone) {}

    ComponentDiff<K> diff(Map<K, C> wanted) {
      Map<K, C> configs = new LinkedHashMap<>();
      running.forEach((key, r) -> configs.put(key, r.config()));
      return ComponentDiff.between(configs, wanted);
    }

    final void reconcile(Map<K, C> wanted, Changes changes) {
      for (ComponentDiff.Step<K> step : diff(wanted).steps()) {
        K key = step.key();
        switch (step.action()) {
          case REMOVE -> {
            Running<C> gone = running.remove(key);
            undeploy(gone.deploymentId());
            removed(key, gone);
            changes.removed.add(component(key));
          }
          case ADD -> {
            running.put(key, new Running<>(wanted.get(key), add(key, wanted.get(key))));
            changes.added.add(component(key));
          }
          case CHANGE -> {
            replace(key, running.get(key), wanted.get(key));
            changes.changed.add(component(key));
          }
        }
      }
    }

    List<String> deploymentIds() {
      return running.values().stream().map(Running::deploymentId).toList();
    }

    void putDeploymentIds(Map<String, String> ids) {
      running.forEach((key, r) -> ids.put(component(key), r.deploymentId()));
    }
  }

  /** The delivery of each endpoint of each {@code pyroscope.write}. */
  private final class Endpoints extends Components<EndpointKey, EndpointSpec> {
    @Override
    String component(EndpointKey key) {
      return writeComponent(key.write()) + " endpoint \"" + key.name() + "\"";
    }

    /**
     * A new endpoint's consumer group starts at the end of its topic, or where its start_from says.
     */
    @Override
    String add(EndpointKey key, EndpointSpec spec) {
      topics.initGroupOffsets(
          group(key), Topics.writeTopic(kafka, key.write()), spec.endpoint().startFrom());
      return deploy(key, spec);
    }

    @Override
    String deploy(EndpointKey key, EndpointSpec spec) {
      String topic = Topics.writeTopic(kafka, key.write());
      Metrics.EndpointMetrics endpointMetrics =
          metrics.endpoint(key.write(), spec.endpoint().url().toString());
      lag.track(
          group(key),
          topic,
          component(key),
          new GroupLag.Gauges(
              endpointMetrics.lagRecords(),
              endpointMetrics.oldestUndeliveredMs(),
              metrics.topicRetentionMs(key.write(), topic)));
      EndpointVerticle verticle =
          new EndpointVerticle(
              applying.write(key.write()).orElseThrow(),
              spec.endpoint(),
              topic,
              clients.consumer(group(key)),
              producers,
              Topics.deadLetterTopic(kafka, key.write()),
              endpointMetrics);
      verticle.sharing(cluster.backOff(key.write(), key.name()));
      verticle.budgetedBy(
          cluster.sendBudget(key.write(), key.name(), spec.endpoint().tenantSendRate()));
      endpointBoard.put(key.write(), key.name(), verticle);
      return await(vertx.deployVerticle(verticle));
    }

    @Override
    void removed(EndpointKey key, Running<EndpointSpec> gone) {
      lag.untrack(group(key));
    }

    private String group(EndpointKey key) {
      return Topics.endpointGroup(kafka, key.write(), key.name());
    }
  }

  /** Each {@code pyroscope.receive_http}: its HTTP servers, one per ingest instance. */
  private final class Receivers extends Components<String, ReceiveHttpComponent> {
    @Override
    String component(String label) {
      return "pyroscope.receive_http." + label;
    }

    @Override
    String deploy(String label, ReceiveHttpComponent r) {
      List<ProfileReceiver> targets = targets(r.forwardTo());
      String id;
      for (int attempt = 1; ; attempt++) {
        ConnectionSlots slots =
            new ConnectionSlots(r.server().connLimit(), r.server().readTimeout());
        try {
          Metrics.IngestMetrics ingestMetrics = metrics.ingest(component(label));
          id =
              await(
                  vertx.deployVerticle(
                      () -> new HttpIngestVerticle(r, targets, inflight, slots, ingestMetrics),
                      new DeploymentOptions().setInstances(ingestInstances)));
          break;
        } catch (RuntimeException e) {
          // Vert.x completes an undeploy a few milliseconds before it lets go of the port for a
          // new server: a port released by this reload is tried again for a moment before it
          // counts as taken.
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
          label,
          r.server().listenAddress(),
          r.server().listenPort());
      return id;
    }

    /**
     * The new one is deployed first: on the same address and port it joins the old one's listening
     * socket, so the port never refuses connections. Only when it cannot listen beside the old one
     * (the same port on another address) is the old one stopped first; if the new one then fails,
     * the old one is started again.
     */
    @Override
    void replace(String label, Running<ReceiveHttpComponent> old, ReceiveHttpComponent next) {
      String id;
      try {
        id = deploy(label, next);
      } catch (RuntimeException beside) {
        if (old.config().server().listenPort() != next.server().listenPort()) {
          throw beside; // the old one keeps serving
        }
        LOG.warn(
            "pyroscope.receive_http \"{}\" cannot listen beside its previous configuration ({});"
                + " stopping that first, port {} refuses connections meanwhile",
            label,
            beside.getMessage(),
            next.server().listenPort());
        undeploy(old.deploymentId());
        running.remove(label);
        releasedPorts.add(old.config().server().listenPort());
        try {
          id = deploy(label, next);
        } catch (RuntimeException instead) {
          running.put(label, new Running<>(old.config(), deploy(label, old.config())));
          LOG.warn("pyroscope.receive_http \"{}\" runs on with its previous configuration", label);
          throw instead;
        }
        running.put(label, new Running<>(next, id));
        return;
      }
      undeploy(old.deploymentId());
      running.put(label, new Running<>(next, id));
    }

    @Override
    void removed(String label, Running<ReceiveHttpComponent> gone) {
      releasedPorts.add(gone.config().server().listenPort());
      LOG.info("pyroscope.receive_http \"{}\" stopped", label);
    }
  }

  /**
   * Each {@code pyroscope.receive_kafka}: one consumer group, so a changed one stops (committing
   * what its writes acknowledged) before its replacement joins the group.
   */
  private final class Sources extends Components<String, ReceiveKafkaComponent> {
    @Override
    String component(String label) {
      return "pyroscope.receive_kafka." + label;
    }

    @Override
    String deploy(String label, ReceiveKafkaComponent k) {
      List<ProfileReceiver> targets = targets(k.forwardTo());
      return await(
          vertx.deployVerticle(
              new KafkaSourceVerticle(
                  k,
                  new KafkaClients(k.asKafkaSettings()).consumer(k.groupId()),
                  targets,
                  producers,
                  Topics.sourceDeadLetterTopic(kafka, label),
                  metrics.ingest(component(label)))));
    }
  }

  private static String writeComponent(String label) {
    return "pyroscope.write." + label;
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
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

  private void undeployAll(List<String> ids) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(vertx.undeploy(id).onFailure(e -> LOG.warn("undeploy failed: {}", e.getMessage())));
    }
    quietly("undeploy", () -> await(Future.join(all)));
  }
}
