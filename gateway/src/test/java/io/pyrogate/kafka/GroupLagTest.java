package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's group lag read from Kafka: records after the committed offsets, the timestamp of
 * the oldest of them, and the topic's retention.
 */
@KafkaTest
class GroupLagTest {
  private static TestKafka broker;

  @BeforeAll
  static void broker(TestKafka handle) {
    broker = handle;
  }

  private static final long HOUR_MS = 3_600_000;

  @Test
  void readsTheLagTheOldestUndeliveredRecordAndTheRetention() throws Exception {
    String topic = "group-lag-" + System.nanoTime();
    String group = topic + ".endpoint";
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    long now = System.currentTimeMillis();
    KafkaClients clients = new KafkaClients(TestGateways.sharedKafka());
    Vertx vertx = Vertx.vertx();
    try (Admin admin = Admin.create(clients.admin())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 2, (short) 1)
                      .configs(
                          Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(24 * HOUR_MS)))))
          .all()
          .get();
      broker.produce(
          List.of(
              record(topic, 0, now - HOUR_MS),
              record(topic, 0, now - 60_000),
              record(topic, 0, now),
              record(topic, 1, now - 10_000)));
      // The first record of partition 0 is delivered; the others wait.
      commit(admin, group, Map.of(p0, 1L, p1, 0L));

      GroupLag.Gauges gauges =
          new GroupLag.Gauges(new AtomicLong(), new AtomicLong(), new AtomicLong());
      try (GroupLag lag = new GroupLag(vertx, admin, clients.consumer("unused"))) {
        lag.track(group, topic, "test endpoint", gauges);

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  lag.readAll();
                  return gauges.records().get() == 3;
                });
        assertThat(gauges.oldestTimestampMs().get()).isEqualTo(now - 60_000);
        assertThat(gauges.retentionMs().get()).isEqualTo(24 * HOUR_MS);

        // Partition 0 delivered: the oldest undelivered record is partition 1's.
        commit(admin, group, Map.of(p0, 3L));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  lag.readAll();
                  return gauges.records().get() == 1;
                });
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gauges.oldestTimestampMs().get() == now - 10_000);

        // Everything delivered, and the topic now keeps its records forever.
        commit(admin, group, Map.of(p1, 1L));
        admin
            .incrementalAlterConfigs(
                Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(
                        new AlterConfigOp(
                            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"),
                            AlterConfigOp.OpType.SET))))
            .all()
            .get();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  lag.readAll();
                  return gauges.records().get() == 0
                      && gauges.oldestTimestampMs().get() == 0
                      && gauges.retentionMs().get() == -1;
                });

        lag.untrack(group);
        assertThat(gauges.records().get()).isZero();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static ProducerRecord<String, byte[]> record(
      String topic, int partition, long timestamp) {
    return new ProducerRecord<>(topic, partition, timestamp, null, new byte[] {1});
  }

  private static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    offsets.forEach((tp, offset) -> committed.put(tp, new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(group, committed).all().get();
  }
}
