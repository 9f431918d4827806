package io.pyrogate.kafka;

import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.vertx.core.Future;
import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The receiver a {@code pyroscope.write} component exports: writes the profile to the component's
 * topic and completes when Kafka acknowledged it (acks=all). While {@link KafkaAvailability} says
 * Kafka is unavailable (the state readiness reports) it fails at once without writing, and a write
 * that failed because Kafka did not take it (a timeout, an unavailable partition or broker) is
 * reported there.
 */
public final class TopicReceiver implements ProfileReceiver {
  private final String name;
  private final String topic;
  private final Producers producers;
  private final KafkaAvailability kafka;

  /** A receiver that writes whatever readiness says. */
  public TopicReceiver(String name, String topic, Producers producers) {
    this(name, topic, producers, KafkaAvailability.ALWAYS);
  }

  public TopicReceiver(String name, String topic, Producers producers, KafkaAvailability kafka) {
    this.name = name;
    this.topic = topic;
    this.producers = producers;
    this.kafka = kafka;
  }

  @Override
  public String name() {
    return name;
  }

  public String topic() {
    return topic;
  }

  @Override
  public Future<Void> append(ProfileRecord record, String key) {
    Optional<String> unavailable = kafka.unavailable();
    if (unavailable.isPresent()) {
      return Future.failedFuture(new Producers.NotSentException("not sent: " + unavailable.get()));
    }
    return producers
        .send(RecordCodec.toKafka(topic, key, record))
        .<Void>mapEmpty()
        .onFailure(
            e -> {
              // Only what says Kafka is not taking writes; a record the broker refuses (too large,
              // say) says nothing of it.
              if (e instanceof RetriableException || e instanceof Producers.NotSentException) {
                kafka.writeFailed(e.getMessage());
              }
            });
  }
}
