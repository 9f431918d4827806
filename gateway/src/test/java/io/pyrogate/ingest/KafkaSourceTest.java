package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
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
import io.pyrogate.record.ProfileRecord.Kind;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Profiles users produce to their own topics flow to the endpoints; a poison record is set aside.
 */
@KafkaTest
class KafkaSourceTest {
  private static TestKafka broker;

  @BeforeAll
  static void broker(TestKafka handle) {
    broker = handle;
  }

  @Test
  void recordsFromAUserTopicAreDeliveredAndAPoisonRecordGoesToTheDeadLetterTopic()
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
  void aStoreThatFailsIsRetriedWithTheBackoffOfItsRetryPolicyUntilStoredAndOnlyThenCommitted()
      throws Exception {
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
    try (Source source = new Source(List.of(flaky), policy)) {
      PushRequest request = Profiles.push("retried", Profiles.jvmStacksPprof(1), Map.of());
      broker.produce(List.of(source.record(null, request.toByteArray())));

      await().atMost(Duration.ofSeconds(30)).until(() -> tries.size() == 4);
      for (int i = 1; i < 4; i++) {
        long waitedMs = (tries.get(i) - tries.get(i - 1)) / 1_000_000;
        assertThat(waitedMs)
            .as("wait before try %d", i + 1)
            .isGreaterThanOrEqualTo(policy.backoff(i).toMillis());
      }
      source.awaitCommitted(1);
      assertThat(tries).hasSize(4);
    }
  }

  /** A write that keeps what it is given: the records and their keys, in order. */
  private static final class Captured implements ProfileReceiver {
    final String name;
    final List<ProfileRecord> records = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();

    Captured(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<Void> append(ProfileRecord record, String key) {
      records.add(record);
      keys.add(key);
      return Future.succeededFuture();
    }
  }

  /**
   * One source verticle on a fresh user topic and dead-letter topic of the test broker, forwarding
   * to {@code targets}.
   */
  private static final class Source implements AutoCloseable {
    final String label = "users_" + UUID.randomUUID().toString().replace("-", "");
    final String userTopic = "user-profiles-" + UUID.randomUUID();
    final String group = "source-" + UUID.randomUUID();
    final String deadLetterTopic = Topics.sourceDeadLetterTopic(TestGateways.sharedKafka(), label);
    final Vertx vertx = Vertx.vertx();
    final Producers producers;

    Source(List<ProfileReceiver> targets) throws Exception {
      this(targets, KafkaSourceVerticle.defaultRetryPolicy());
    }

    Source(List<ProfileReceiver> targets, RetryPolicy retryPolicy) throws Exception {
      KafkaSettings kafka = TestGateways.sharedKafka();
      try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(userTopic, 1, (short) 1),
                    new NewTopic(deadLetterTopic, 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      KafkaClients clients = new KafkaClients(kafka);
      producers = new Producers(vertx, clients.producer(), 1);
      vertx
          .deployVerticle(
              new KafkaSourceVerticle(
                  new ReceiveKafkaComponent(
                      label,
                      List.of(broker.bootstrapServers()),
                      List.of(userTopic),
                      group,
                      null,
                      null,
                      targets.stream().map(ProfileReceiver::name).toList()),
                  clients.consumer(group),
                  targets,
                  producers,
                  deadLetterTopic,
                  new Metrics().ingest("pyroscope.receive_kafka." + label),
                  retryPolicy))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }

    /** Waits until the source committed {@code offset} on the user topic's partition. */
    void awaitCommitted(long offset) throws Exception {
      try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            admin
                                .listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS))
                        .containsEntry(
                            new TopicPartition(userTopic, 0), new OffsetAndMetadata(offset)));
      }
    }

    ProducerRecord<String, byte[]> record(String key, byte[] value, String... headers) {
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(userTopic, null, 1_000L, key, value);
      for (int i = 0; i < headers.length; i += 2) {
        r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
      }
      return r;
    }

    @Override
    public void close() throws Exception {
      producers.close(5_000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void everyRecordGoesToEveryForwardWriteWithTheTenantAndKeyItsHeadersGive() throws Exception {
    Captured w1 = new Captured("w1");
    Captured w2 = new Captured("w2");
    byte[] push = Profiles.push("a", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
    byte[] gzipped = {0x1f, (byte) 0x8b, 1, 2, 3}; // stored encoded: not parsed on the way in
    byte[] ingestBody = "legacy ingest body".getBytes(StandardCharsets.UTF_8);
    try (Source source = new Source(List.of(w1, w2))) {
      broker.produce(
          List.of(
              source.record(null, push),
              source.record("my-key", push, KafkaHeaders.TENANT, "squad-1"),
              source.record(
                  null,
                  push,
                  KafkaHeaders.VERSION,
                  "1",
                  KafkaHeaders.TENANT,
                  "squad-2",
                  KafkaHeaders.RECEIVED_AT,
                  "1234",
                  KafkaHeaders.QUERY,
                  "from=1"),
              source.record(
                  null,
                  gzipped,
                  KafkaHeaders.CONTENT_ENCODING,
                  "gzip",
                  KafkaHeaders.TENANT,
                  "squad-3"),
              source.record(
                  null,
                  ingestBody,
                  KafkaHeaders.KIND,
                  "ingest",
                  KafkaHeaders.CONTENT_TYPE,
                  "binary/octet-stream",
                  KafkaHeaders.QUERY,
                  "name=app&format=jfr")));

      source.awaitCommitted(5);

      for (Captured w : List.of(w1, w2)) {
        assertThat(w.records)
            .as(w.name)
            .extracting(
                ProfileRecord::kind,
                ProfileRecord::tenant,
                ProfileRecord::contentType,
                ProfileRecord::contentEncoding,
                ProfileRecord::query,
                ProfileRecord::receivedAtMillis)
            .containsExactly(
                tuple(Kind.PUSH, null, "application/proto", null, null, 1_000L),
                tuple(Kind.PUSH, "squad-1", "application/proto", null, null, 1_000L),
                tuple(Kind.PUSH, "squad-2", "application/proto", null, "from=1", 1_234L),
                tuple(Kind.PUSH, "squad-3", "application/proto", "gzip", null, 1_000L),
                tuple(
                    Kind.INGEST, null, "binary/octet-stream", null, "name=app&format=jfr", 1_000L));
        assertThat(w.records)
            .extracting(ProfileRecord::payload)
            .containsExactly(push, push, push, gzipped, ingestBody);
        // A record's own key is kept; without one, the key is the tenant's (no service name is
        // read here).
        assertThat(w.keys).containsExactly("/", "my-key", "squad-2/", "squad-3/", "/");
      }
      assertThat(broker.readAll(source.deadLetterTopic)).isEmpty();
    }
  }

  @Test
  void malformedRecordsAreDeadLetteredWithTheirReasonAndTheRecordsAfterThemStillStored()
      throws Exception {
    Captured w1 = new Captured("w1");
    Captured w2 = new Captured("w2");
    byte[] push = Profiles.push("good", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
    // A PushRequest with no series, only an unknown field (10, varint 1), so the value is not
    // empty.
    byte[] noSeries = {0x50, 0x01};
    byte[] notProto = "not a profile".getBytes(StandardCharsets.UTF_8);
    try (Source source = new Source(List.of(w1, w2))) {
      List<ProducerRecord<String, byte[]>> malformed =
          List.of(
              source.record("k0", push, KafkaHeaders.VERSION, "2"),
              source.record("k1", new byte[0]),
              source.record("k2", push, KafkaHeaders.KIND, "jfr"),
              source.record("k3", push, KafkaHeaders.KIND, "ingest"),
              source.record("k4", push, KafkaHeaders.RECEIVED_AT, "soon"),
              source.record("k5", push, KafkaHeaders.TENANT, "a\r\nX-Injected: 1"),
              source.record("k6", noSeries),
              source.record("k7", notProto));
      List<ProducerRecord<String, byte[]>> all = new ArrayList<>(malformed);
      all.add(source.record("k8", push, KafkaHeaders.TENANT, "squad-1"));
      broker.produce(all);

      source.awaitCommitted(9);

      for (Captured w : List.of(w1, w2)) {
        assertThat(w.keys).as(w.name).containsExactly("k8");
        assertThat(w.records.get(0).tenant()).isEqualTo("squad-1");
      }
      List<ConsumerRecord<String, byte[]>> dead = broker.read(source.deadLetterTopic, 8);
      assertThat(dead).hasSize(8);
      assertThat(dead.subList(0, 7))
          .extracting(r -> header(r, KafkaHeaders.DLQ_REASON))
          .containsExactly(
              "unsupported pyrogate-record-version \"2\" (this pyrogate reads 1)",
              "empty record value",
              "unknown pyrogate-kind \"jfr\"",
              "ingest record without content-type header",
              "bad pyrogate-received-at \"soon\"",
              "x-scope-orgid header is not a valid HTTP header value (character U+000D at 1)",
              "push request without series");
      assertThat(header(dead.get(7), KafkaHeaders.DLQ_REASON))
          .startsWith("value is not a push.v1.PushRequest: ");
      for (int i = 0; i < dead.size(); i++) {
        ConsumerRecord<String, byte[]> d = dead.get(i);
        // The original record as it was, with where it came from.
        assertThat(d.key()).isEqualTo("k" + i);
        assertThat(d.value()).isEqualTo(malformed.get(i).value());
        assertThat(header(d, KafkaHeaders.DLQ_ENDPOINT))
            .isEqualTo("pyroscope.receive_kafka." + source.label);
        assertThat(header(d, KafkaHeaders.DLQ_SOURCE)).isEqualTo(source.userTopic + "-0@" + i);
      }
      assertThat(header(dead.get(2), KafkaHeaders.KIND)).isEqualTo("jfr");
    }
  }
}
