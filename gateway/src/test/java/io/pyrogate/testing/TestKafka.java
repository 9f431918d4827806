package io.pyrogate.testing;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.kafka.EmbeddedKafka;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A test's handle on the one real Kafka broker of the test JVM, which is started on first use with
 * the class pyrogate embeds (or in a Kafka container with {@code
 * -Dpyrogate.test.kafka=testcontainers}, see {@link ContainerKafka}) and stopped when the JVM
 * exits. Tests isolate themselves by topic prefix, not by broker: every handle has a prefix no
 * other handle has. {@link KafkaExtension} injects one per test (or per class, into
 * {@code @BeforeAll}) and closes it after.
 */
public final class TestKafka implements AutoCloseable {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static String brokerBootstrapServers;

  private final String topicPrefix;
  private Admin admin;

  private TestKafka(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  /** A new handle on the JVM's test broker, starting it if it is not running yet. */
  public static TestKafka handle() {
    startBroker();
    return new TestKafka(
        "t" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100_000 + ".");
  }

  /**
   * The Kafka version pyrogate is built with (kafka-clients and the embedded broker), as the
   * kafka-clients jar records it.
   */
  public static String kafkaVersion() {
    try (InputStream in =
        KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return startBroker();
  }

  /** The prefix of this handle's topics: no other handle's topics start with it. */
  public String topicPrefix() {
    return topicPrefix;
  }

  /** Kafka settings of a gateway on the test broker, with this handle's topic prefix. */
  public KafkaSettings settings() {
    return new KafkaSettings(
        List.of(bootstrapServers()),
        KafkaSettings.DEFAULT_EMBEDDED_LISTEN_ADDRESS,
        topicPrefix,
        2,
        (short) 1);
  }

  /** The topic of write component {@code label} for a gateway with {@link #settings()}. */
  public String writeTopic(String label) {
    return Topics.writeTopic(settings(), label);
  }

  /** An admin client on the broker, closed with this handle. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(KafkaDefaults.admin(bootstrapServers()));
    }
    return admin;
  }

  /** Reads {@code topic} from the beginning until {@code count} records arrived or 30 s passed. */
  public List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
    Map<String, Object> config =
        new HashMap<>(
            KafkaDefaults.consumer(bootstrapServers(), "test-reader-" + UUID.randomUUID()));
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Reads everything the topic holds now: from the beginning up to the current end of every
   * partition.
   */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Map<String, Object> config =
        new HashMap<>(KafkaDefaults.consumer(bootstrapServers(), "unused"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Writes records and waits until Kafka acknowledged every one. */
  public void produce(List<ProducerRecord<String, byte[]>> records) {
    Map<String, Object> config = new HashMap<>(KafkaDefaults.producer(bootstrapServers()));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      List<Future<?>> sent = new ArrayList<>();
      records.forEach(r -> sent.add(producer.send(r)));
      for (Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce test records", e);
    }
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }

  /** Starts the JVM's test broker unless it is running; its bootstrap servers. */
  private static synchronized String startBroker() {
    if (brokerBootstrapServers == null) {
      brokerBootstrapServers =
          ContainerKafka.requested() ? ContainerKafka.start() : startInProcess();
    }
    return brokerBootstrapServers;
  }

  private static String startInProcess() {
    Path dir;
    try {
      dir = Files.createTempDirectory("pyrogate-test-kafka");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedKafka started = EmbeddedKafka.start(dir, "127.0.0.1", 0);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  started.close();
                  TempDirs.delete(dir);
                },
                "test-kafka-shutdown"));
    return started.bootstrapServers();
  }
}
