package io.pyrogate.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Serves a Kafka client's own metrics ({@code kafka_producer_*}, {@code kafka_consumer_*}) through
 * Micrometer's Kafka binder, tagged with the pyrogate component the client works for ({@code
 * component_id}, and {@code endpoint} for an endpoint's consumer, empty otherwise, so every client
 * has the same tag keys). The binding is closed with its client: its meters leave the registry, so
 * a reload that replaces an endpoint leaves no stale series.
 */
public final class KafkaClientMeters {
  /** One thread refreshes every client's meter list (Kafka adds metrics as a client connects). */
  private static final ScheduledExecutorService REFRESH =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pyrogate-kafka-meters");
            t.setDaemon(true);
            return t;
          });

  private static final KafkaClientMeters NONE = new KafkaClientMeters(null, Tags.empty());

  private final MeterRegistry registry;
  private final Tags tags;

  /**
   * @param endpoint the endpoint's URL (redacted) for its consumer, empty for other clients
   */
  public KafkaClientMeters(MeterRegistry registry, String componentId, String endpoint) {
    this(registry, Tags.of("component_id", componentId, "endpoint", endpoint));
  }

  private KafkaClientMeters(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  /** Binds nothing: for clients whose metrics nobody reads (tests, tools). */
  public static KafkaClientMeters none() {
    return NONE;
  }

  /** A client's meters in the registry; closing removes them. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /** Serves the consumer's metrics until the returned binding is closed. */
  public Binding bind(Consumer<?, ?> consumer) {
    return registry == null ? () -> {} : bound(new KafkaClientMetrics(consumer, tags, REFRESH));
  }

  /** Serves the producer's metrics until the returned binding is closed. */
  public Binding bind(Producer<?, ?> producer) {
    return registry == null ? () -> {} : bound(new KafkaClientMetrics(producer, tags, REFRESH));
  }

  private Binding bound(KafkaClientMetrics binder) {
    binder.bindTo(registry);
    return binder::close;
  }
}
