package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Finding 12 of issue 15: with the broker down every send is answered within {@link
 * KafkaDefaults#ACK_TIMEOUT_MS}, not one after the other each waiting for the missing broker, and a
 * send answered with a failure is not stored.
 */
@KafkaTest
class ProducersBoundTest {

  @Test
  void withTheBrokerDownEverySendFailsWithinTheBoundAndNoneOfThemIsStoredWhenTheBrokerReturns()
      throws Exception {
    Path data = TestGateways.tempDir();
    // A port known in advance: the broker is started again on it, where the producer looks.
    int port = TestGateways.freePort();
    String topic = "bound";
    EmbeddedKafka broker = EmbeddedKafka.start(data, "127.0.0.1", port);
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    broker.close();

    Vertx vertx = Vertx.vertx();
    Producers producers =
        new Producers(vertx, new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers())), 1);
    try {
      // Sent together from one event loop: they queue for the same producer, which has no metadata
      // for the topic.
      int count = 6;
      List<CompletableFuture<Long>> answeredAfterMs = new ArrayList<>();
      vertx
          .getOrCreateContext()
          .runOnContext(
              v -> {
                for (int i = 0; i < count; i++) {
                  long sent = System.nanoTime();
                  CompletableFuture<Long> answered = new CompletableFuture<>();
                  producers
                      .send(new ProducerRecord<>(topic, "k", ("lost-" + i).getBytes()))
                      .onComplete(
                          ar ->
                              answered.complete(
                                  ar.succeeded() ? -1 : (System.nanoTime() - sent) / 1_000_000));
                  answeredAfterMs.add(answered);
                }
              });
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> answeredAfterMs.size() == count);
      for (CompletableFuture<Long> answered : answeredAfterMs) {
        long ms = answered.get(60, TimeUnit.SECONDS);
        assertThat(ms)
            .as("failed (not -1 for success) within the bound")
            .isBetween(0L, KafkaDefaults.ACK_TIMEOUT_MS + 1_000L);
      }

      broker = EmbeddedKafka.start(data, "127.0.0.1", port);
      Future<?> back = producers.send(new ProducerRecord<>(topic, "k", "stored".getBytes()));
      back.await(30, TimeUnit.SECONDS);
      assertThat(back.succeeded()).isTrue();
      assertThat(values(broker.bootstrapServers(), topic)).containsExactly("stored");
    } finally {
      producers.close(5_000).await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
      broker.close();
    }
  }

  private static List<String> values(String bootstrap, String topic) {
    Map<String, Object> config = new HashMap<>(KafkaDefaults.consumer(bootstrap, "unused"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value())));
      }
    }
    return values;
  }
}
