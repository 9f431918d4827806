package io.pyrogate.kafka;

import java.nio.charset.StandardCharsets;

import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes what an endpoint can never deliver to its write component's dead-letter topic: the original key,
 * value and headers, plus headers saying which endpoint gave up, why and when. From there it can be
 * replayed.
 */
public final class DeadLetters {
  public static final String ENDPOINT = "pyrogate-dlq-endpoint";
  public static final String REASON = "pyrogate-dlq-reason";
  public static final String STATUS = "pyrogate-dlq-http-status";
  public static final String ATTEMPTS = "pyrogate-dlq-attempts";
  public static final String FIRST_ATTEMPT = "pyrogate-dlq-first-attempt";
  public static final String LAST_ATTEMPT = "pyrogate-dlq-last-attempt";
  public static final String SOURCE = "pyrogate-dlq-source";

  private final Producers producer;
  private final String topic;

  public DeadLetters(Producers producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * @param httpStatus the endpoint's last HTTP status, 0 when there was no answer
   */
  public Future<Void> write(ConsumerRecord<String, byte[]> original, String endpoint, String reason, int httpStatus,
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
