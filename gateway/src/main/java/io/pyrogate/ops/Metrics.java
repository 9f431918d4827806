package io.pyrogate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pyrogate.Version;
import io.pyrogate.config.Redact;
import io.pyrogate.kafka.KafkaClientMeters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * pyrogate's metrics, served at {@code /metrics}. Delivery uses Alloy's {@code pyroscope_write_*}
 * names and labels ({@code component_id}, {@code endpoint} = the endpoint URL), so existing
 * dashboards keep working; "dropped" means moved to the dead-letter topic, since pyrogate drops
 * nothing. The rest is {@code pyrogate_*}.
 */
public final class Metrics {
  /** Latency buckets in seconds, from a fast local write to a slow remote push with retries. */
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /** The states an endpoint can be in, as {@code delivery.EndpointHealth.State} labels them. */
  private static final List<String> ENDPOINT_STATES =
      List.of("delivering", "backing_off", "outage");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Gauge values by meter id: they outlive a verticle redeployed by a reload. */
  private final Map<String, AtomicLong> gaugeValues = new ConcurrentHashMap<>();

  /** The meters of each relabel component by label: they outlive a reload. */
  private final Map<String, RelabelMetrics> relabels = new ConcurrentHashMap<>();

  public Metrics() {
    registry.config().meterFilter(VertxHttpMetrics.FILTER);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("pyrogate.build.info", () -> 1)
        .description("1, labelled with the version and commit pyrogate was built from")
        .tags("version", Version.get(), "commit", Version.commit())
        .register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry the status page reads its figures from. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Meters of one endpoint of a {@code pyroscope.write}. */
  public EndpointMetrics endpoint(String writeLabel, String endpointUrl) {
    String component = "pyroscope.write." + writeLabel;
    String endpoint = Redact.url(endpointUrl);
    return new EndpointMetrics(
        counter(
            "pyroscope.write.sent.bytes",
            "Bytes of profiles sent to the endpoint",
            component,
            endpoint),
        counter(
            "pyroscope.write.sent.profiles", "Profiles sent to the endpoint", component, endpoint),
        counter(
            "pyroscope.write.dropped.bytes",
            "Bytes of profiles moved to the dead-letter topic",
            component,
            endpoint),
        counter(
            "pyroscope.write.dropped.profiles",
            "Profiles moved to the dead-letter topic",
            component,
            endpoint),
        counter("pyroscope.write.retries", "Delivery attempts retried", component, endpoint),
        DistributionSummary.builder("pyroscope.write.latency")
            .description("Seconds from sending a profile to its answer")
            .tags("component_id", component, "endpoint", endpoint, "type", "push")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry),
        DistributionSummary.builder("pyroscope.write.latency")
            .description("Seconds from sending a profile to its answer")
            .tags("component_id", component, "endpoint", endpoint, "type", "ingest")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry),
        gauge(
            "pyrogate.endpoint.window.bytes",
            "Bytes of records in flight to the endpoint",
            component,
            endpoint),
        gauge(
            "pyrogate.endpoint.window.records",
            "Records in flight to the endpoint",
            component,
            endpoint),
        gauge(
            "pyrogate.endpoint.lag.records",
            "Records of the topic not yet delivered to the endpoint (nor dead-lettered)",
            component,
            endpoint),
        gauge(
            "pyrogate.endpoint.up",
            "1 when the endpoint answers, 0 while it is in outage",
            component,
            endpoint),
        states(component, endpoint),
        gauge(
            "pyrogate.endpoint.next.attempt.timestamp.seconds",
            "When the endpoint is tried next while in outage or backing off (Unix time), 0 when delivering",
            component,
            endpoint),
        gauge(
            "pyrogate.endpoint.last.success.timestamp.seconds",
            "When the endpoint last accepted a request (Unix time)",
            component,
            endpoint),
        oldestUndelivered(component, endpoint),
        kafkaClient(component, endpoint),
        counter(
            "pyrogate.endpoint.send.budget.wait.seconds",
            "Seconds requests to the endpoint were held by its tenant_send_rate, over all tenants",
            component,
            endpoint),
        counter(
            "pyrogate.endpoint.send.budget.bytes",
            "Bytes charged to the endpoint's tenant_send_rate, as Pyroscope counts them (labels and"
                + " decompressed profiles)",
            component,
            endpoint));
  }

  /**
   * The timestamp (Unix ms) of the endpoint's oldest undelivered record, 0 when none is; served as
   * its age in seconds at the time of the scrape.
   */
  private AtomicLong oldestUndelivered(String component, String endpoint) {
    return gaugeValues.computeIfAbsent(
        "pyrogate.endpoint.oldest.undelivered|" + component + "|" + endpoint,
        k -> {
          AtomicLong timestampMs = new AtomicLong();
          Gauge.builder(
                  "pyrogate.endpoint.oldest.undelivered.seconds",
                  timestampMs,
                  t ->
                      t.get() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - t.get()) / 1000.0)
              .description(
                  "Age of the oldest profile in the topic not yet delivered to the endpoint (nor"
                      + " dead-lettered), 0 when none is")
              .tags("component_id", component, "endpoint", endpoint)
              .register(registry);
          return timestampMs;
        });
  }

  /**
   * The {@code retention.ms} of a write component's topic (-1: forever), served in seconds, +Inf
   * for forever, NaN before it was first read.
   */
  public AtomicLong topicRetentionMs(String writeLabel, String topic) {
    String component = "pyroscope.write." + writeLabel;
    return gaugeValues.computeIfAbsent(
        "pyrogate.topic.retention|" + component + "|" + topic,
        k -> {
          // NaN until first read: a retention of 0 would make every undelivered profile look late.
          AtomicLong ms = new AtomicLong(Long.MIN_VALUE);
          Gauge.builder(
                  "pyrogate.topic.retention.seconds",
                  ms,
                  m ->
                      m.get() == Long.MIN_VALUE
                          ? Double.NaN
                          : m.get() < 0 ? Double.POSITIVE_INFINITY : m.get() / 1000.0)
              .description(
                  "How long Kafka keeps the topic's profiles (retention.ms), +Inf for forever;"
                      + " NaN until first read")
              .tags("component_id", component, "topic", topic)
              .register(registry);
          return ms;
        });
  }

  /**
   * The meters of a Kafka client working for {@code componentId} ({@code endpoint} empty but for an
   * endpoint's consumer).
   */
  public KafkaClientMeters kafkaClient(String componentId, String endpoint) {
    return new KafkaClientMeters(registry, componentId, endpoint);
  }

  private Map<String, AtomicLong> states(String component, String endpoint) {
    Map<String, AtomicLong> states = new LinkedHashMap<>();
    for (String state : ENDPOINT_STATES) {
      states.put(
          state,
          gauge(
              "pyrogate.endpoint.state",
              "1 for the state the endpoint is in",
              component,
              endpoint,
              "state",
              state));
    }
    return Map.copyOf(states);
  }

  private AtomicLong gauge(
      String name, String help, String component, String endpoint, String... moreTags) {
    return gaugeValues.computeIfAbsent(
        name + "|" + component + "|" + endpoint + "|" + String.join("|", moreTags),
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .description(help)
              .tags("component_id", component, "endpoint", endpoint)
              .tags(moreTags)
              .register(registry);
          return value;
        });
  }

  /**
   * Meters of one receiving component ({@code pyroscope.receive_http} or {@code
   * pyroscope.receive_kafka}).
   */
  public IngestMetrics ingest(String componentId) {
    return new IngestMetrics(registry, componentId);
  }

  /**
   * The meters of the {@code pyroscope.relabel} component {@code label}: the same ones across
   * reloads.
   */
  public RelabelMetrics relabel(String label) {
    return relabels.computeIfAbsent(
        label, l -> new RelabelMetrics(registry, "pyroscope.relabel." + l));
  }

  /**
   * Bytes waiting for Kafka's acknowledgement at ingest, over all receivers, and the most there may
   * be.
   */
  public void ingestInflight(Supplier<Number> bytes, long limit) {
    Gauge.builder("pyrogate.ingest.inflight.bytes", bytes)
        .description("Bytes of accepted requests waiting for Kafka's acknowledgement")
        .register(registry);
    Gauge.builder("pyrogate.ingest.inflight.limit.bytes", () -> limit)
        .description("The most bytes ingest holds in flight; more is answered with 429")
        .register(registry);
  }

  /** 1 while pyrogate is ready ({@code /-/ready} answers 200), 0 otherwise. */
  public void ready(BooleanSupplier ready) {
    Gauge.builder("pyrogate.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while pyrogate is ready (/-/ready answers 200), 0 otherwise")
        .register(registry);
  }

  private Counter counter(String name, String help, String component, String endpoint) {
    return Counter.builder(name)
        .description(help)
        .tags("component_id", component, "endpoint", endpoint)
        .register(registry);
  }

  /**
   * The meters of one endpoint.
   *
   * @param states by state label, 1 for the state the endpoint is in and 0 for the others
   */
  public record EndpointMetrics(
      Counter sentBytes,
      Counter sentProfiles,
      Counter droppedBytes,
      Counter droppedProfiles,
      Counter retries,
      DistributionSummary pushLatency,
      DistributionSummary ingestLatency,
      AtomicLong windowBytes,
      AtomicLong windowRecords,
      AtomicLong lagRecords,
      AtomicLong up,
      Map<String, AtomicLong> states,
      AtomicLong nextAttemptSeconds,
      AtomicLong lastSuccessSeconds,
      AtomicLong oldestUndeliveredMs,
      KafkaClientMeters kafkaClient,
      Counter sendBudgetWaitSeconds,
      Counter sendBudgetBytes) {}

  /** The meters of one receiving component; each meter is looked up once, not on every request. */
  public static final class IngestMetrics {
    private final PrometheusMeterRegistry registry;
    private final String component;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> bytes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> latency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> refused = new ConcurrentHashMap<>();

    IngestMetrics(PrometheusMeterRegistry registry, String component) {
      this.registry = registry;
      this.component = component;
    }

    /** The meters of the component's Kafka consumer (a {@code pyroscope.receive_kafka}'s). */
    public KafkaClientMeters kafkaClient() {
      return new KafkaClientMeters(registry, component, "");
    }

    /**
     * One answered request, by route and HTTP status (or "stored"/"dead_letter" for Kafka sources).
     */
    public void request(String route, String outcome, long received) {
      requests
          .computeIfAbsent(
              route + ' ' + outcome,
              k ->
                  Counter.builder("pyrogate.ingest.requests")
                      .description("Requests (or source records) by outcome")
                      .tags("component_id", component, "route", route, "outcome", outcome)
                      .register(registry))
          .increment();
      if (received > 0) {
        bytes
            .computeIfAbsent(
                route,
                k ->
                    Counter.builder("pyrogate.ingest.received.bytes")
                        .description("Bytes of profiles received")
                        .tags("component_id", component, "route", route)
                        .register(registry))
            .increment(received);
      }
    }

    /**
     * One request refused because of what it holds (e.g. tenant, labels, profile), by route and
     * reason.
     */
    public void refused(String route, String reason) {
      refused
          .computeIfAbsent(
              route + ' ' + reason,
              k ->
                  Counter.builder("pyrogate.ingest.refused")
                      .description(
                          "Requests refused because Pyroscope would refuse them, by reason")
                      .tags("component_id", component, "route", route, "reason", reason)
                      .register(registry))
          .increment();
    }

    /** Seconds from receiving a request to Kafka's acknowledgement of it. */
    public void stored(String route, double seconds) {
      latency
          .computeIfAbsent(
              route,
              k ->
                  DistributionSummary.builder("pyrogate.ingest.store.latency")
                      .description("Seconds from request to Kafka acknowledgement")
                      .tags("component_id", component, "route", route)
                      .serviceLevelObjectives(LATENCY_BUCKETS)
                      .register(registry))
          .record(seconds);
    }
  }
}
