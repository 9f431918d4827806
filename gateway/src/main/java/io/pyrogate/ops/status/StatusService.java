package io.pyrogate.ops.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.ForwardTarget;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.config.Redact;
import io.pyrogate.config.RelabelComponent;
import io.pyrogate.config.TenantSendRate;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.EndpointHealth;
import io.pyrogate.delivery.EndpointStatus;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Health;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Assembles the status page's {@link StatusSnapshot} from narrow sources: the metrics registry for
 * counts, gauges and rates; the {@link EndpointBoard} for each endpoint's state, last success, last
 * error, next attempt and dead-letter reasons; the {@link ReloadHistory} for the configuration in
 * force; {@link Health} for readiness and Kafka. Rates are per second over the last {@link
 * #RATE_WINDOW}, from counter totals {@link #sample sampled} every {@link #SAMPLE_INTERVAL_MS}, so
 * they do not depend on how often the page is loaded. Nothing secret is read: URLs lose their user
 * info and query, errors are those the endpoints already scrubbed.
 */
public final class StatusService {
  /** How often counters are sampled for rates. */
  public static final long SAMPLE_INTERVAL_MS = 2_000;

  static final Duration RATE_WINDOW = Duration.ofSeconds(10);
  static final int TOP_REASONS = 3;

  /** {@link StatusSnapshot.Write#retentionSeconds} of a topic that keeps its records forever. */
  static final double FOREVER = -1;

  private final MeterReader meters;
  private final EndpointBoard endpoints;
  private final ReloadHistory reloads;
  private final Health health;
  private final Supplier<List<String>> brokers;
  private final Function<String, Integer> listenPorts;
  private final long inflightCapBytes;
  private final String version;
  private final LongSupplier clock;
  private volatile Path configFile;
  private volatile Supplier<JsonObject> cluster;
  private volatile boolean clustered;

  /**
   * @param brokers the bootstrap servers in use (the embedded broker's address when embedded)
   * @param listenPorts the port a receive_http label listens on (the one bound for listen_port 0),
   *     null when it does not listen
   * @param inflightCapBytes the cap of bytes waiting for Kafka at ingest
   * @param clock epoch milliseconds
   */
  public StatusService(
      MeterRegistry registry,
      EndpointBoard endpoints,
      ReloadHistory reloads,
      Health health,
      Supplier<List<String>> brokers,
      Function<String, Integer> listenPorts,
      long inflightCapBytes,
      String version,
      LongSupplier clock) {
    this.meters = new MeterReader(registry, RATE_WINDOW.toNanos(), System::nanoTime);
    this.endpoints = endpoints;
    this.reloads = reloads;
    this.health = health;
    this.brokers = brokers;
    this.listenPorts = listenPorts;
    this.inflightCapBytes = inflightCapBytes;
    this.version = version;
    this.clock = clock;
  }

  /** The configuration file pyrogate runs, shown on the page. */
  public void configFile(Path file) {
    configFile = file;
  }

  /**
   * The cluster view ({@code GET /api/cluster}); in cluster mode ({@code clustered}) the status
   * page shows it too.
   */
  public void clusterView(Supplier<JsonObject> view, boolean clustered) {
    this.cluster = view;
    this.clustered = clustered;
  }

  /**
   * The cluster view as {@code GET /api/cluster} answers it: this instance alone, {@code clustered:
   * false}, without cluster mode.
   */
  public String clusterJson() {
    Supplier<JsonObject> view = cluster;
    return view == null ? new JsonObject().put("clustered", false).encode() : view.get().encode();
  }

  /** Samples the counters, for rates; called every {@link #SAMPLE_INTERVAL_MS}. */
  public void sample() {
    meters.sample();
  }

  /** The status as {@code GET /api/status} answers it. */
  public String json() {
    Supplier<JsonObject> view = cluster;
    return StatusJson.encode(snapshot(), clustered && view != null ? view.get() : null);
  }

  /** The status page. */
  public String html() {
    return StatusPage.render(json());
  }

  public StatusSnapshot snapshot() {
    meters.refresh();
    long now = clock.getAsLong();
    long startedAt = ManagementFactory.getRuntimeMXBean().getStartTime();
    GatewayConfig config = reloads.current();
    List<StatusSnapshot.Receiver> receivers = new ArrayList<>();
    List<StatusSnapshot.Write> writes = new ArrayList<>();
    List<String> wiring = new ArrayList<>();
    if (config != null) {
      for (ReceiveHttpComponent r : config.receivers()) {
        receivers.add(
            receiver(
                "pyroscope.receive_http." + r.label(),
                "pyroscope.receive_http",
                r.server().listenAddress() + ":" + listenPort(r),
                r.forwardTo()));
      }
      for (ReceiveKafkaComponent k : config.kafkaSources()) {
        receivers.add(
            receiver(
                "pyroscope.receive_kafka." + k.label(),
                "pyroscope.receive_kafka",
                "topics " + String.join(", ", k.topics()),
                k.forwardTo()));
      }
      receivers.forEach(r -> wiring.add(r.component() + " -> " + String.join(", ", r.forwardTo())));
      for (RelabelComponent r : config.relabels()) {
        wiring.add(
            r.componentId()
                + " -> "
                + String.join(
                    ", ", r.forwardTo().stream().map(ForwardTarget::componentId).toList()));
      }
      for (WriteComponent w : config.writes()) {
        StatusSnapshot.Write write = write(w, Topics.writeTopic(config.kafka(), w.label()));
        writes.add(write);
        write.endpoints().forEach(e -> wiring.add(write.component() + " -> " + e.name()));
      }
    }
    StatusSnapshot.Reload last = reloads.last();
    Optional<String> kafkaProblem = health.unavailable();
    return new StatusSnapshot(
        version,
        now,
        startedAt,
        Math.max(0, (now - startedAt) / 1000),
        health.notReady().orElse(null),
        String.join("\n", wiring),
        new StatusSnapshot.Config(
            configFile == null ? null : configFile.toString(),
            reloads.loadedAt(),
            config == null ? "" : config.summary(),
            last),
        new StatusSnapshot.Kafka(
            config == null || config.kafka().embedded(),
            kafkaProblem.isEmpty(),
            kafkaProblem.map(StatusService::scrub).orElse(null),
            brokers.get().stream().map(StatusService::hostPort).toList()),
        new StatusSnapshot.Ingest(
            meters.sum("pyrogate_ingest_inflight_bytes", Map.of()), inflightCapBytes),
        receivers,
        writes);
  }

  private StatusSnapshot.Receiver receiver(
      String component, String kind, String listen, List<String> forwardTo) {
    Map<String, String> tags = Map.of("component_id", component);
    return new StatusSnapshot.Receiver(
        component,
        kind,
        listen,
        forwardTo.stream().map(ForwardTarget::componentId).toList(),
        meters.rateBy("pyrogate_ingest_requests", tags, "outcome"),
        meters.sumBy("pyrogate_ingest_requests", tags, "outcome"),
        meters.sumBy("pyrogate_ingest_refused", tags, "reason"));
  }

  private StatusSnapshot.Write write(WriteComponent w, String topic) {
    String component = "pyroscope.write." + w.label();
    Double retention =
        meters.sum(
            "pyrogate_topic_retention_seconds", Map.of("component_id", component, "topic", topic));
    if (retention == null) {
      retention = meters.sum("pyrogate_topic_retention_seconds", Map.of("component_id", component));
    }
    if (retention != null && retention.isInfinite()) {
      retention = FOREVER; // the gauge's +Inf, which JSON cannot carry
    } else if (retention != null && retention == 0) {
      retention = null; // not read from Kafka yet
    }
    List<StatusSnapshot.Endpoint> list = new ArrayList<>();
    for (Endpoint e : w.endpoints()) {
      list.add(endpoint(w.label(), component, e));
    }
    return new StatusSnapshot.Write(component, topic, retention, list);
  }

  private StatusSnapshot.Endpoint endpoint(String write, String component, Endpoint e) {
    Map<String, String> tags = Map.of("component_id", component, "endpoint", Redact.url(e.url()));
    Double lag = meters.sum("pyrogate_endpoint_lag_records", tags);
    // Every endpoint of a write reads the same records: their mean size is the write's.
    Map<String, String> ofWrite = Map.of("component_id", component);
    Double sentBytes = meters.sum("pyroscope_write_sent_bytes", ofWrite);
    Double sentProfiles = meters.sum("pyroscope_write_sent_profiles", ofWrite);
    Double lagBytes =
        lag == null || sentBytes == null || sentProfiles == null || sentProfiles == 0
            ? null
            : lag * sentBytes / sentProfiles;
    Double oldest = meters.sum("pyrogate_endpoint_oldest_undelivered_seconds", tags);
    if (oldest == null) {
      oldest =
          meters.sum(
              "pyrogate_endpoint_oldest_undelivered_seconds",
              Map.of("component_id", component, "endpoint", e.name()));
    }
    Optional<EndpointStatus> status = endpoints.get(write, e.name());
    TenantSendRate budget = e.tenantSendRate();
    EndpointHealth.Snapshot h = status.map(EndpointStatus::health).orElse(null);
    long heldUntil = status.map(EndpointStatus::heldUntilMillis).orElse(0L);
    String state =
        h == null
            ? "unknown"
            : heldUntil > 0
                ? "held"
                : h.state() == EndpointHealth.State.DELIVERING && status.get().paused()
                    ? "paused"
                    : h.state().label();
    return new StatusSnapshot.Endpoint(
        e.name(),
        display(e.url()),
        state,
        h == null ? null : time(h.sinceMillis()),
        meters.rate("pyroscope_write_sent_profiles", tags),
        meters.rate("pyroscope_write_sent_bytes", tags),
        meters.rate("pyroscope_write_retries", tags),
        lag,
        lagBytes,
        oldest,
        h == null ? null : time(h.lastSuccessMillis()),
        h == null ? null : time(h.lastErrorMillis()),
        h == null || h.lastError() == null ? null : h.lastErrorStatus(),
        h == null || h.lastError() == null ? null : scrub(h.lastError()),
        h == null ? null : time(Math.max(h.nextAttemptMillis(), heldUntil)),
        meters.sum("pyroscope_write_dropped_profiles", tags),
        status.map(s -> s.deadLetterReasons(TOP_REASONS)).orElse(List.of()).stream()
            .map(r -> new StatusSnapshot.ReasonCount(scrub(r.reason()), r.count()))
            .toList(),
        status.map(EndpointStatus::partitions).orElse(List.of()),
        budget.limited() ? budget.bytesPerSecond() : null,
        budget.limited() ? meters.rate("pyrogate_endpoint_send_budget_wait_seconds", tags) : null);
  }

  private static Long time(long epochMillis) {
    return epochMillis == 0 ? null : epochMillis;
  }

  /** Scheme, host, port and path: never the user info, nor a query that may carry a token. */
  static String display(URI url) {
    if (url.getHost() == null) {
      return Redact.url(url.getScheme() + ":");
    }
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** The port a receiver listens on: the bound one when its listen_port is 0 and it listens. */
  private int listenPort(ReceiveHttpComponent r) {
    Integer bound = r.server().listenPort() == 0 ? listenPorts.apply(r.label()) : null;
    return bound != null ? bound : r.server().listenPort();
  }

  /** A broker address as host:port, without anything that looks like credentials before an '@'. */
  static String hostPort(String broker) {
    int at = broker.lastIndexOf('@');
    return at < 0 ? broker : broker.substring(at + 1);
  }

  /** Masks the user info of any URL in a message. */
  private static String scrub(String message) {
    return Redact.source(message, List.of());
  }
}
