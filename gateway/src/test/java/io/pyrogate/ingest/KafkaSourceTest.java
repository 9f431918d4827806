package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.RetryPolicy;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Producers;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Metrics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Profiles users produce to their own topics flow to the endpoints; a poison record is set aside.
 */
@KafkaTest
class KafkaSourceTest {

  @Test
  void recordsFromAUserTopicAreDeliveredAndAPoisonRecordGoesToTheDeadLetterTopic(TestKafka broker)
      throws Exception {
    String userTopic = "user-profiles-" + UUID.randomUUID();
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(userTopic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    PushRequest plain = Profiles.push("plain", Profiles.jvmStacksPprof(1), Map.of());
    PushRequest withTenant = Profiles.push("tenant", Profiles.jvmStacksPprof(1), Map.of());
    PushRequest after = Profiles.push("after-poison", Profiles.jvmStacksPprof(1), Map.of());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers())))) {
      producer.send(new ProducerRecord<>(userTopic, plain.toByteArray())).get();
      ProducerRecord<String, byte[]> full =
          new ProducerRecord<>(userTopic, "squad-1/tenant", withTenant.toByteArray());
      full.headers()
          .add("pyrogate-record-version", "1".getBytes(StandardCharsets.UTF_8))
          .add("pyrogate-kind", "push".getBytes(StandardCharsets.UTF_8))
          .add("content-type", "application/proto".getBytes(StandardCharsets.UTF_8))
          .add("x-scope-orgid", "squad-1".getBytes(StandardCharsets.UTF_8));
      producer.send(full).get();
      producer
          .send(
              new ProducerRecord<>(
                  userTopic, "poison", "not a profile".getBytes(StandardCharsets.UTF_8)))
          .get();
      producer.send(new ProducerRecord<>(userTopic, after.toByteArray())).get();
    }

    KafkaSettings kafka = TestGateways.sharedKafka();
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      GatewayConfig config =
          new GatewayConfig(
              kafka,
              List.of(),
              List.of(
                  new ReceiveKafkaComponent(
                      "users",
                      List.of(broker.bootstrapServers()),
                      List.of(userTopic),
                      "source-" + UUID.randomUUID(),
                      null,
                      null,
                      List.of("w"))),
              List.of(
                  new WriteComponent(
                      "w", List.of(TestGateways.endpoint("a", pyroscope.url())), Map.of())));
      try (Gateway gateway = TestGateways.start(config)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(pyroscope.deliveredSampleIds())
                        .containsExactlyInAnyOrderElementsOf(
                            List.of(
                                Profiles.sampleIds(plain).get(0),
                                Profiles.sampleIds(withTenant).get(0),
                                Profiles.sampleIds(after).get(0))));
        assertThat(pyroscope.delivered())
            .filteredOn(r -> r.headers().containsKey("x-scope-orgid"))
            .singleElement()
            .satisfies(r -> assertThat(r.headers()).containsEntry("x-scope-orgid", "squad-1"));

        List<ConsumerRecord<String, byte[]>> dead =
            broker.read(Topics.sourceDeadLetterTopic(kafka, "users"), 1);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
            .isEqualTo("not a profile");
        assertThat(
                new String(
                    dead.get(0).headers().lastHeader(KafkaHeaders.DLQ_REASON).value(),
                    StandardCharsets.UTF_8))
            .startsWith("value is not a push.v1.PushRequest");
      }
    }
  }

  @Test
  void aStoreThatFailsIsRetriedWithTheBackoffOfItsRetryPolicyUntilStoredAndOnlyThenCommitted(
      TestKafka broker) throws Exception {
    String userTopic = "user-profiles-" + UUID.randomUUID();
    String group = "source-" + UUID.randomUUID();
    KafkaSettings kafka = TestGateways.sharedKafka();
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(userTopic, 1, (short) 1),
                  new NewTopic(Topics.sourceDeadLetterTopic(kafka, "users"), 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      PushRequest request = Profiles.push("retried", Profiles.jvmStacksPprof(1), Map.of());
      broker.produce(List.of(new ProducerRecord<>(userTopic, request.toByteArray())));

      // A write that cannot store the first three tries, then can; the policy's waits are 100, 200,
      // then 400 ms.
      List<Long> tries = new CopyOnWriteArrayList<>();
      ProfileReceiver flaky =
          new ProfileReceiver() {
            @Override
            public String name() {
              return "w";
            }

            @Override
            public Future<Void> append(ProfileRecord record, String key) {
              tries.add(System.nanoTime());
              return tries.size() <= 3
                  ? Future.failedFuture("write topic unreachable")
                  : Future.succeededFuture();
            }
          };
      RetryPolicy policy =
          new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 0, true, () -> 0.0);
      ReceiveKafkaComponent component =
          new ReceiveKafkaComponent(
              "users",
              List.of(broker.bootstrapServers()),
              List.of(userTopic),
              group,
              null,
              null,
              List.of("w"));
      Vertx vertx = Vertx.vertx();
      KafkaClients clients = new KafkaClients(kafka);
      Producers producer = new Producers(vertx, clients.producer(), 1);
      try {
        vertx
            .deployVerticle(
                new KafkaSourceVerticle(
                    component,
                    clients.consumer(group),
                    List.of(flaky),
                    producer,
                    Topics.sourceDeadLetterTopic(kafka, "users"),
                    new Metrics().ingest("pyroscope.receive_kafka.users"),
                    policy))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> tries.size() == 4);
        for (int i = 1; i < 4; i++) {
          long waitedMs = (tries.get(i) - tries.get(i - 1)) / 1_000_000;
          assertThat(waitedMs)
              .as("wait before try %d", i + 1)
              .isGreaterThanOrEqualTo(policy.backoff(i).toMillis());
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(
                            admin
                                .listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS))
                        .containsEntry(new TopicPartition(userTopic, 0), new OffsetAndMetadata(1)));
        assertThat(tries).hasSize(4);
      } finally {
        producer.close(5_000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
