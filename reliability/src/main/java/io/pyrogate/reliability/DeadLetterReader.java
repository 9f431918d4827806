package io.pyrogate.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a dead-letter topic from its beginning to its current end, without a consumer group. */
public final class DeadLetterReader {
  private DeadLetterReader() {}

  /**
   * Every record of {@code topic} on {@code bootstrap}; empty when the topic does not exist (yet).
   */
  public static List<DeadLetter> read(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024));
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        return letters;
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end =
          new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(15)));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          letters.add(letter(r));
        }
      }
    }
    return letters;
  }

  private static boolean caughtUp(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static DeadLetter letter(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder text = new StringBuilder();
    String endpoint = "";
    String reason = "";
    for (Header h : r.headers()) {
      String value = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
      text.append(h.key()).append('=').append(value).append('\n');
      if (h.key().equals("pyrogate-dlq-endpoint")) {
        endpoint = value;
      } else if (h.key().equals("pyrogate-dlq-reason")) {
        reason = value;
      }
    }
    byte[] value = r.value() == null ? new byte[0] : r.value();
    text.append(new String(value, StandardCharsets.ISO_8859_1));
    return new DeadLetter(endpoint, reason, Profiles.ids(value), text.toString());
  }
}
