package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.CrashingConsumer;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash (a consumer process killed without leaving its group), a new consumer of the same
 * group gets the partitions and the first record within seconds: the dead member holds them only
 * for pyrogate's {@code session.timeout.ms}, not Kafka's default 45 s.
 */
@KafkaTest
class CrashTakeoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashTakeoverIT.class);

  @Test
  void aConsumerKilledWithoutClosingHandsItsPartitionsOverWellBelowKafkasDefaultSessionTimeout()
      throws Exception {
    String topic = "crash-" + UUID.randomUUID();
    String group = "crash-group-" + UUID.randomUUID();
    try (Admin admin = Admin.create(KafkaDefaults.admin(TestKafka.handle().bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process crashing =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingConsumer.class.getName(),
                TestKafka.handle().bootstrapServers(),
                group,
                topic)
            .redirectErrorStream(true)
            .start();
    try {
      CompletableFuture<Boolean> assigned =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(crashing.getInputStream(), StandardCharsets.UTF_8))) {
                  return out.lines().anyMatch(CrashingConsumer.ASSIGNED::equals);
                } catch (Exception e) {
                  return false;
                }
              });
      assertThat(assigned.get(60, TimeUnit.SECONDS))
          .as("the first consumer got the partition")
          .isTrue();
    } finally {
      crashing.destroyForcibly(); // SIGKILL: no LeaveGroup, no last commit
      crashing.waitFor(30, TimeUnit.SECONDS);
    }
    long killed = System.nanoTime();
    TestKafka.handle().produce(List.of(new ProducerRecord<>(topic, new byte[] {1})));

    Map<String, Object> config =
        new HashMap<>(KafkaDefaults.consumer(TestKafka.handle().bootstrapServers(), group));
    Duration firstRecord = null;
    try (KafkaConsumer<String, byte[]> successor = new KafkaConsumer<>(config)) {
      successor.subscribe(List.of(topic));
      while (firstRecord == null && System.nanoTime() - killed < Duration.ofSeconds(60).toNanos()) {
        ConsumerRecords<String, byte[]> records = successor.poll(Duration.ofMillis(100));
        if (!records.isEmpty()) {
          firstRecord = Duration.ofNanos(System.nanoTime() - killed);
        }
      }
    }
    LOG.info(
        "first record {} ms after the kill",
        firstRecord == null ? "never" : firstRecord.toMillis());
    assertThat(firstRecord)
        .as("time from the kill to the first record")
        .isNotNull()
        .isLessThan(Duration.ofSeconds(25));
  }
}
