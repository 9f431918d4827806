package io.pyrogate.kafka;

import static io.pyrogate.record.KafkaHeaders.DLQ_ATTEMPTS;
import static io.pyrogate.record.KafkaHeaders.DLQ_ENDPOINT;
import static io.pyrogate.record.KafkaHeaders.DLQ_FIRST_ATTEMPT;
import static io.pyrogate.record.KafkaHeaders.DLQ_LAST_ATTEMPT;
import static io.pyrogate.record.KafkaHeaders.DLQ_REASON;
import static io.pyrogate.record.KafkaHeaders.DLQ_SOURCE;
import static io.pyrogate.record.KafkaHeaders.DLQ_STATUS;

import io.pyrogate.record.KafkaHeaders;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes what an endpoint can never deliver to its write component's dead-letter topic: the
 * original key, value and headers, plus headers saying which endpoint gave up, why and when ({@link
 * KafkaHeaders}' {@code DLQ_*}). From there it can be replayed.
 */
public final class DeadLetters {
  private final Producers producers;
  private final String topic;

  public DeadLetters(Producers producers, String topic) {
    this.producers = producers;
    this.topic = topic;
  }

  /**
   * @param httpStatus the endpoint's last HTTP status, 0 when there was no answer
   */
  public Future<Void> write(
      ConsumerRecord<String, byte[]> original,
      String endpoint,
      String reason,
      int httpStatus,
      int attempts,
      long firstAttemptMillis,
      long lastAttemptMillis) {
    Headers h = new RecordHeaders(original.headers().toArray());
    KafkaHeaders.replace(h, DLQ_ENDPOINT, endpoint);
    KafkaHeaders.replace(h, DLQ_REASON, reason);
    KafkaHeaders.replace(h, DLQ_STATUS, Integer.toString(httpStatus));
    KafkaHeaders.replace(h, DLQ_ATTEMPTS, Integer.toString(attempts));
    KafkaHeaders.replace(h, DLQ_FIRST_ATTEMPT, Long.toString(firstAttemptMillis));
    KafkaHeaders.replace(h, DLQ_LAST_ATTEMPT, Long.toString(lastAttemptMillis));
    KafkaHeaders.replace(
        h, DLQ_SOURCE, original.topic() + "-" + original.partition() + "@" + original.offset());
    return producers
        .send(new ProducerRecord<>(topic, null, original.key(), original.value(), h))
        .mapEmpty();
  }
}
