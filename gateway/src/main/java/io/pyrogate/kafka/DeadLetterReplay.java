package io.pyrogate.kafka;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.record.KafkaHeaders;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code pyrogate replay}: moves dead letters of a write component back into its topic, each
 * addressed to the endpoint that gave up on it (the others delivered it already), so only that
 * endpoint delivers it again. Progress is kept in a consumer group, so each dead letter is replayed
 * once; {@code --since} replays again from a point in time.
 */
public final class DeadLetterReplay {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long SEND_TIMEOUT_S = 30;

  /** What a replay did. */
  public record Summary(long replayed, long skipped) {}

  private final KafkaSettings settings;
  private final String write;
  private final String endpoint;
  private final Instant since;
  private final PrintWriter progress;

  /**
   * @param endpoint replay only the dead letters of this endpoint; null for all
   * @param since replay dead letters written from this time on, again if already replayed; null
   *     continues where the last replay stopped
   */
  public DeadLetterReplay(
      KafkaSettings settings, String write, String endpoint, Instant since, PrintWriter progress) {
    this.settings = settings;
    this.write = write;
    this.endpoint = endpoint;
    this.since = since;
    this.progress = progress;
  }

  public Summary run() {
    KafkaClients clients = new KafkaClients(settings);
    String dlq = Topics.deadLetterTopic(settings, write);
    String target = Topics.writeTopic(settings, write);
    Map<String, Object> consumerConfig =
        new HashMap<>(clients.consumer(settings.topicPrefix() + write + ".replay"));
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    long replayed = 0;
    long skipped = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlq, Duration.ofSeconds(SEND_TIMEOUT_S)).stream()
              .map(p -> new TopicPartition(dlq, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException(
            "dead-letter topic "
                + dlq
                + " does not exist; is \""
                + write
                + "\" a pyroscope.write of this configuration?");
      }
      consumer.assign(partitions);
      position(consumer, partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long total =
          partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - consumer.position(p))).sum();
      progress.printf(
          "replaying up to %d dead letter(s) of pyroscope.write \"%s\"%s from %s to %s%n",
          total, write, endpoint == null ? "" : " for endpoint \"" + endpoint + "\"", dlq, target);
      progress.flush();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> letter : consumer.poll(POLL)) {
          if (letter.offset() >= end.get(new TopicPartition(letter.topic(), letter.partition()))) {
            continue; // written after the replay started, e.g. by a replayed record failing again
          }
          String deadAt = KafkaHeaders.lastString(letter.headers(), KafkaHeaders.DLQ_ENDPOINT);
          if (endpoint != null && !endpoint.equals(deadAt)) {
            skipped++;
            continue;
          }
          send(
              producer,
              new ProducerRecord<>(
                  target,
                  null,
                  letter.key(),
                  letter.value(),
                  replayHeaders(letter.headers(), deadAt)));
          replayed++;
          if (replayed % 100 == 0) {
            progress.printf("replayed %d of %d%n", replayed, total);
            progress.flush();
          }
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        partitions.forEach(
            p -> done.put(p, new OffsetAndMetadata(Math.min(consumer.position(p), end.get(p)))));
        consumer.commitSync(done);
      }
    }
    progress.printf(
        "done: %d replayed, %d skipped (dead letters of other endpoints)%n", replayed, skipped);
    progress.flush();
    return new Summary(replayed, skipped);
  }

  private void position(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
    if (since != null) {
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      partitions.forEach(
          p -> consumer.seek(p, found.get(p) == null ? end.get(p) : found.get(p).offset()));
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new HashSet<>(partitions));
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
    partitions.forEach(
        p ->
            consumer.seek(
                p, committed.get(p) == null ? beginning.get(p) : committed.get(p).offset()));
  }

  /** The original headers, without the dead-letter ones, addressed to the endpoint that gave up. */
  private static Headers replayHeaders(Headers original, String deadAt) {
    RecordHeaders h = new RecordHeaders();
    for (Header header : original) {
      if (!header.key().startsWith(KafkaHeaders.DLQ_PREFIX)
          && !header.key().equals(KafkaHeaders.REPLAY_ENDPOINT)) {
        h.add(header);
      }
    }
    if (deadAt != null) {
      KafkaHeaders.add(h, KafkaHeaders.REPLAY_ENDPOINT, deadAt);
    }
    return h;
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
    Future<RecordMetadata> ack = producer.send(record);
    try {
      ack.get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka did not take a replayed record: " + EmbeddedKafka.rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not acknowledge a replayed record within " + SEND_TIMEOUT_S + " s", e);
    }
  }
}
