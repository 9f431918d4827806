package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.ops.Health;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * Finding 7 of issue 15: ingest writes exactly while readiness says Kafka takes writes, and a
 * failed write says so.
 */
@KafkaTest
class TopicReceiverTest {

  @Test
  void writesOnlyWhileReadinessSaysKafkaTakesWritesAndAFailedWriteTurnsItNotReady(TestKafka broker)
      throws Exception {
    String topic = "receiver-" + System.nanoTime();
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Vertx vertx = Vertx.vertx();
    Producers producers =
        new Producers(vertx, new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers())), 1);
    Health health = new Health();
    try {
      TopicReceiver receiver = new TopicReceiver("w", topic, producers, health);

      health.kafkaUnreachable("embedded Kafka requested exit with status 1");
      Future<Void> refused = receiver.append(record("refused"), "k");
      assertThat(refused.failed()).as("failed at once").isTrue();
      assertThat(refused.cause())
          .isInstanceOf(Producers.NotSentException.class)
          .hasMessageContaining("embedded Kafka requested exit with status 1");

      health.kafkaReachable();
      receiver.append(record("stored"), "k").await(30, TimeUnit.SECONDS);
      assertThat(broker.readAll(topic)).extracting(r -> r.key()).containsExactly("k");

      Future<Void> tooLarge =
          receiver.append(record("x".repeat(KafkaDefaults.MAX_RECORD_BYTES + 1)), "k");
      assertThatThrownBy(() -> tooLarge.await(30, TimeUnit.SECONDS));
      assertThat(health.unavailable()).as("a refused record says nothing of Kafka").isEmpty();

      TopicReceiver missing =
          new TopicReceiver("w", "no-such-topic-" + System.nanoTime(), producers, health);
      assertThatThrownBy(() -> missing.append(record("lost"), "k").await(30, TimeUnit.SECONDS));
      assertThat(health.unavailable())
          .hasValueSatisfying(r -> assertThat(r).startsWith("Kafka did not acknowledge a write"));
      assertThat(receiver.append(record("refused too"), "k").failed())
          .as("failed at once")
          .isTrue();
    } finally {
      producers.close(5_000).await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static ProfileRecord record(String id) {
    return ProfileRecord.push(null, id.getBytes(), System.currentTimeMillis());
  }
}
