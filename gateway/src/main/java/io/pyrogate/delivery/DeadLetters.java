package io.pyrogate.delivery;

import java.nio.charset.StandardCharsets;

import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes what an endpoint can never deliver to its write component's dead-letter topic: the original key,
 * value and headers, plus headers saying which endpoint gave up, why and when. From there it can be
 * replayed.
 */
final class DeadLetters {
  static final String ENDPOINT = "pyrogate-dlq-endpoint";
  static final String REASON = "pyrogate-dlq-reason";
  static final String STATUS = "pyrogate-dlq-http-status";
  static final String ATTEMPTS = "pyrogate-dlq-attempts";
  static final String FIRST_ATTEMPT = "pyrogate-dlq-first-attempt";
  static final String LAST_ATTEMPT = "pyrogate-dlq-last-attempt";
  static final String SOURCE = "pyrogate-dlq-source";

  private final KafkaWriteStream<String, byte[]> producer;
  private final String topic;

  DeadLetters(KafkaWriteStream<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * @param httpStatus the endpoint's last HTTP status, 0 when there was no answer
   */
  Future<Void> write(ConsumerRecord<String, byte[]> original, String endpoint, String reason, int httpStatus,
      int attempts, long firstAttemptMillis, long lastAttemptMillis) {
    Headers h = new RecordHeaders(original.headers().toArray());
    put(h, ENDPOINT, endpoint);
    put(h, REASON, reason);
    put(h, STATUS, Integer.toString(httpStatus));
    put(h, ATTEMPTS, Integer.toString(attempts));
    put(h, FIRST_ATTEMPT, Long.toString(firstAttemptMillis));
    put(h, LAST_ATTEMPT, Long.toString(lastAttemptMillis));
    put(h, SOURCE, original.topic() + "-" + original.partition() + "@" + original.offset());
    return producer.send(new ProducerRecord<>(topic, null, original.key(), original.value(), h)).mapEmpty();
  }

  private static void put(Headers h, String name, String value) {
    h.remove(name);
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
