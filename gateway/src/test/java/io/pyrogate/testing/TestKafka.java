package io.pyrogate.testing;

import io.pyrogate.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Kafka broker for the whole test JVM, started on first use with the same class pyrogate
 * embeds. Tests isolate themselves with unique topic prefixes, not separate brokers.
 */
public final class TestKafka {
  private static EmbeddedKafka broker;

  private TestKafka() {}

  /** Reads {@code topic} from the beginning until {@code count} records arrived or 30 s passed. */
  public static java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>
      read(String topic, int count) {
    java.util.Map<String, Object> config =
        new java.util.HashMap<>(
            io.pyrogate.kafka.KafkaDefaults.consumer(
                bootstrapServers(), "test-reader-" + java.util.UUID.randomUUID()));
    java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records =
        new java.util.ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(config)) {
      consumer.subscribe(java.util.List.of(topic));
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Reads everything the topic holds now: from the beginning up to the current end of every
   * partition.
   */
  public static java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>
      readAll(String topic) {
    java.util.Map<String, Object> config =
        new java.util.HashMap<>(
            io.pyrogate.kafka.KafkaDefaults.consumer(bootstrapServers(), "unused"));
    config.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
    java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records =
        new java.util.ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(config)) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Writes records to {@code topic} and waits until Kafka acknowledged every one. */
  public static void produce(
      java.util.List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> records) {
    java.util.Map<String, Object> config =
        new java.util.HashMap<>(io.pyrogate.kafka.KafkaDefaults.producer(bootstrapServers()));
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(config)) {
      java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      records.forEach(r -> sent.add(producer.send(r)));
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce test records", e);
    }
  }

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("pyrogate-test-kafka");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafka started = EmbeddedKafka.start(dir, "127.0.0.1", 0);
      broker = started;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    TempDirs.delete(dir);
                  },
                  "test-kafka-shutdown"));
    }
    return broker.bootstrapServers();
  }
}
