package io.pyrogate.delivery;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.Secret;
import io.pyrogate.config.SecretSource;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@KafkaTest
class DeliveryTest {

  @Test
  void temporaryFailuresAreRetriedUntilDelivered() {
    try (FakePyroscope pyroscope = new FakePyroscope().failNext(2, 503);
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "w", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");
      PushRequest request = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());

      assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.received())
          .extracting(FakePyroscope.Request::answered)
          .containsExactly(503, 503, 200);
      assertThat(pyroscope.delivered().get(0).body()).isEqualTo(request.toByteArray());
      String labels = "{component_id=\"pyroscope.write.w\",endpoint=\"" + pyroscope.url() + "\"}";
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                      .contains("pyroscope_write_sent_profiles_total" + labels + " 1.0")
                      .contains(
                          "pyroscope_write_sent_bytes_total"
                              + labels
                              + " "
                              + (double) request.toByteArray().length)
                      .contains("pyroscope_write_retries_total" + labels + " 2.0")
                      .contains("pyroscope_write_dropped_profiles_total" + labels + " 0.0")
                      .contains(
                          "pyroscope_write_latency_count{component_id=\"pyroscope.write.w\",endpoint=\""
                              + pyroscope.url()
                              + "\",type=\"push\"} 3"));
    }
  }

  @Test
  void lagCountsProfilesNotYetDeliveredWhileTheEndpointIsDownAndFallsToZeroOnceDelivered() {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(503, "down");
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "w",
                            List.of(
                                endpoint("a", pyroscope.url())
                                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 0)),
                            Map.of()))))) {
      int port = gateway.ingestPort("default");
      List<String> sentIds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        PushRequest request = Profiles.push("svc" + i, Profiles.jvmStacksPprof(1), Map.of());
        sentIds.addAll(Profiles.sampleIds(request));
        assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);
      }
      String lag =
          "pyrogate_endpoint_lag_records{component_id=\"pyroscope.write.w\",endpoint=\""
              + pyroscope.url()
              + "\"} ";

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                      .contains(lag + "5.0"));
      pyroscope.respondWith(200, "");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() >= sentIds.size());
      assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sentIds);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                      .contains(lag + "0.0"));
    }
  }

  @Test
  void aRetryAfterFromTheEndpointIsHonoured() {
    try (FakePyroscope pyroscope = new FakePyroscope().failNext(1, 429, "2");
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "w",
                            List.of(
                                endpoint("a", pyroscope.url())
                                    .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(5), 10)),
                            Map.of()))))) {
      int port = gateway.ingestPort("default");
      assertThat(
              push(port, Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                  .statusCode())
          .isEqualTo(200);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      List<FakePyroscope.Request> attempts = pyroscope.received();
      assertThat(attempts).extracting(FakePyroscope.Request::answered).containsExactly(429, 200);
      // Without Retry-After the first retry would come after 50-100 ms.
      assertThat(
              Duration.ofNanos(
                  attempts.get(1).receivedAtNanos() - attempts.get(0).receivedAtNanos()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void aRejectedProfileGoesToTheDeadLetterTopicWithItsReasonAndLaterOnesStillFlow() {
    KafkaSettings kafka = sharedKafka();
    try (FakePyroscope pyroscope =
            new FakePyroscope()
                .respondWith(
                    400, "{\"code\":\"invalid_argument\",\"message\":\"function id is 0\"}");
        Gateway gateway =
            TestGateways.start(
                config(
                    kafka,
                    0,
                    List.of(
                        new WriteComponent(
                            "w", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");
      PushRequest rejected = Profiles.push("bad", Profiles.jvmStacksPprof(1), Map.of());
      assertThat(push(port, rejected.toByteArray()).statusCode()).isEqualTo(200);
      List<ConsumerRecord<String, byte[]>> dead =
          TestKafka.handle().read(Topics.deadLetterTopic(kafka, "w"), 1);
      assertThat(dead).hasSize(1);
      ConsumerRecord<String, byte[]> letter = dead.get(0);
      assertThat(letter.value()).isEqualTo(rejected.toByteArray());
      assertThat(header(letter, KafkaHeaders.DLQ_ENDPOINT)).isEqualTo("a");
      assertThat(header(letter, KafkaHeaders.DLQ_STATUS)).isEqualTo("400");
      assertThat(header(letter, KafkaHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
      assertThat(header(letter, KafkaHeaders.DLQ_REASON))
          .contains("HTTP 400")
          .contains("function id is 0");
      assertThat(header(letter, "pyrogate-kind")).isEqualTo("push");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                      .contains(
                          "pyroscope_write_dropped_profiles_total{component_id=\"pyroscope.write.w\",endpoint=\""
                              + pyroscope.url()
                              + "\"} 1.0"));

      pyroscope.respondWith(200, "");
      PushRequest good = Profiles.push("good", Profiles.jvmStacksPprof(1), Map.of());
      assertThat(push(port, good.toByteArray()).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.delivered().get(0).body()).isEqualTo(good.toByteArray());
    }
  }

  @Test
  void credentialsAndHeadersOfTheEndpointAreOnTheWire() {
    try (FakePyroscope basic = new FakePyroscope();
        FakePyroscope token = new FakePyroscope()) {
      HttpClientConfig d = HttpClientConfig.defaults();
      Endpoint withBasic =
          endpoint("basic", basic.url()).withHeaders(Map.of("X-Scope-OrgID", "from-config"));
      withBasic =
          new Endpoint(
              withBasic.name(),
              withBasic.url(),
              withBasic.remoteTimeout(),
              withBasic.headers(),
              withBasic.minBackoff(),
              withBasic.maxBackoff(),
              withBasic.maxBackoffRetries(),
              true,
              new HttpClientConfig(
                  new HttpClientConfig.BasicAuth(
                      "alice", SecretSource.inline(new Secret("s3cret"))),
                  null,
                  null,
                  null,
                  true,
                  true,
                  d.proxy(),
                  d.tls(),
                  Map.of("X-Multi", List.of(new Secret("a"), new Secret("b")))),
              withBasic.startFrom(),
              withBasic.tenantSendRate());
      Endpoint withToken = endpoint("token", token.url());
      withToken =
          new Endpoint(
              withToken.name(),
              withToken.url(),
              withToken.remoteTimeout(),
              withToken.headers(),
              withToken.minBackoff(),
              withToken.maxBackoff(),
              withToken.maxBackoffRetries(),
              true,
              new HttpClientConfig(
                  null,
                  new HttpClientConfig.Authorization(
                      "Token", SecretSource.inline(new Secret("t0k"))),
                  null,
                  null,
                  true,
                  true,
                  d.proxy(),
                  d.tls(),
                  Map.of()),
              withToken.startFrom(),
              withToken.tenantSendRate());
      try (Gateway gateway =
          TestGateways.start(
              config(
                  sharedKafka(),
                  0,
                  List.of(new WriteComponent("w", List.of(withBasic, withToken), Map.of()))))) {
        int port = gateway.ingestPort("default");
        assertThat(
                TestGateways.post(
                        port,
                        "/push.v1.PusherService/Push",
                        Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray(),
                        Map.of(
                            "Content-Type", "application/proto", "X-Scope-OrgID", "from-request"))
                    .statusCode())
            .isEqualTo(200);

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> basic.delivered().size() == 1 && token.delivered().size() == 1);
        assertThat(basic.delivered().get(0).headers())
            .containsEntry(
                "authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)))
            .containsEntry("x-scope-orgid", "from-config")
            .containsEntry("x-multi", "a, b");
        assertThat(token.delivered().get(0).headers())
            .containsEntry("authorization", "Token t0k")
            .containsEntry("x-scope-orgid", "from-request");
      }
    }
  }

  @Test
  void aSecretFileIsReadAtUseSoARotatedTokenTakesEffectAndNothingIsSentWithoutIt()
      throws Exception {
    java.nio.file.Path tokenFile = TestGateways.tempDir().resolve("token");
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      HttpClientConfig d = HttpClientConfig.defaults();
      Endpoint e = endpoint("a", pyroscope.url());
      Endpoint withFile =
          new Endpoint(
              e.name(),
              e.url(),
              e.remoteTimeout(),
              e.headers(),
              e.minBackoff(),
              e.maxBackoff(),
              0,
              true,
              new HttpClientConfig(
                  null,
                  null,
                  null,
                  SecretSource.file(tokenFile),
                  true,
                  true,
                  d.proxy(),
                  d.tls(),
                  Map.of()),
              e.startFrom(),
              e.tenantSendRate());
      try (Gateway gateway =
          TestGateways.start(
              config(
                  sharedKafka(),
                  0,
                  List.of(new WriteComponent("w", List.of(withFile), Map.of()))))) {
        int port = gateway.ingestPort("default");
        // No file yet: the profile waits in Kafka instead of going out without credentials.
        assertThat(
                push(
                        port,
                        Profiles.push("first", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                    .statusCode())
            .isEqualTo(200);
        java.nio.file.Files.writeString(tokenFile, "token-one\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.received()).hasSize(1);
        assertThat(pyroscope.delivered().get(0).headers())
            .containsEntry("authorization", "Bearer token-one");

        java.nio.file.Files.writeString(tokenFile, "rotated-token-two");
        assertThat(
                push(
                        port,
                        Profiles.push("second", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                    .statusCode())
            .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 2);
        assertThat(pyroscope.delivered().get(1).headers())
            .containsEntry("authorization", "Bearer rotated-token-two");
      }
    }
  }

  @Test
  void with429RetriesOffA429IsDeadLetteredAtOnce() {
    KafkaSettings kafka = sharedKafka();
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(429, "slow down")) {
      Endpoint e = endpoint("a", pyroscope.url());
      Endpoint no429 =
          new Endpoint(
              e.name(),
              e.url(),
              e.remoteTimeout(),
              e.headers(),
              e.minBackoff(),
              e.maxBackoff(),
              e.maxBackoffRetries(),
              false,
              e.http(),
              e.startFrom(),
              e.tenantSendRate());
      try (Gateway gateway =
          TestGateways.start(
              config(kafka, 0, List.of(new WriteComponent("w", List.of(no429), Map.of()))))) {
        int port = gateway.ingestPort("default");
        assertThat(
                push(port, Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                    .statusCode())
            .isEqualTo(200);
        List<ConsumerRecord<String, byte[]>> dead =
            TestKafka.handle().read(Topics.deadLetterTopic(kafka, "w"), 1);
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), KafkaHeaders.DLQ_REASON)).isEqualTo("HTTP 429: slow down");
        assertThat(pyroscope.received()).hasSize(1);
      }
    }
  }

  /**
   * Starts the gateway once (fixing the endpoint's starting offsets), stops it, writes {@code
   * records} to the write's topic and starts it again: the endpoint then finds them all in the
   * window together, as after an outage.
   */
  private static Gateway withBacklog(
      GatewayConfig config, List<ProducerRecord<String, byte[]>> records) {
    TestGateways.start(config).close();
    TestKafka.handle().produce(records);
    return TestGateways.start(config);
  }

  private static ProducerRecord<String, byte[]> record(
      String topic, String tenant, PushRequest request) {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, (tenant == null ? "" : tenant) + "/svc", request.toByteArray());
    if (tenant != null) {
      r.headers().add("x-scope-orgid", tenant.getBytes(StandardCharsets.UTF_8));
    }
    return r;
  }

  @Test
  void pushRecordsInTheWindowTogetherGoOutAsFewerRequestsCarryingEverySample() throws Exception {
    KafkaSettings kafka = sharedKafka();
    int profiles = 12;
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      GatewayConfig config =
          config(
              kafka,
              0,
              List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of())));
      List<String> sentIds = new ArrayList<>();
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      for (int i = 0; i < profiles; i++) {
        PushRequest request =
            Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("i", Integer.toString(i)));
        sentIds.addAll(Profiles.sampleIds(request));
        records.add(record(Topics.writeTopic(kafka, "w"), "squad-1", request));
      }
      try (Gateway gateway = withBacklog(config, records)) {
        int port = gateway.ingestPort("default");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().size() >= profiles);
        assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sentIds);
        assertThat(pyroscope.received()).hasSizeLessThan(profiles);
        for (FakePyroscope.Request r : pyroscope.delivered()) {
          assertThat(r.headers())
              .containsEntry("x-scope-orgid", "squad-1")
              .containsEntry("content-type", "application/proto");
          assertThat(PushRequest.parseFrom(r.body()).getSeriesList())
              .allSatisfy(
                  series ->
                      assertThat(series.getLabelsList())
                          .extracting(l -> l.getName())
                          .contains("__name__", "service_name", "i"));
        }
        String labels = "{component_id=\"pyroscope.write.w\",endpoint=\"" + pyroscope.url() + "\"}";
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                        .contains(
                            "pyroscope_write_sent_profiles_total"
                                + labels
                                + " "
                                + (double) profiles));
      }
    }
  }

  @Test
  void aBatchStaysWithinTheByteLimitAndALargerRecordGoesAlone() throws Exception {
    KafkaSettings kafka = sharedKafka();
    java.util.Random random = new java.util.Random(7);
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      GatewayConfig config =
          config(
              kafka,
              0,
              List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of())));
      List<String> sentIds = new ArrayList<>();
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      int[] sizes = {
        300_000, 300_000, 300_000, 300_000, Batcher.BATCH_BYTES + 10, 300_000, 300_000
      };
      for (int size : sizes) {
        byte[] raw = new byte[size];
        random.nextBytes(raw);
        PushRequest request = Profiles.push("svc", raw, Map.of());
        sentIds.addAll(Profiles.sampleIds(request));
        records.add(record(Topics.writeTopic(kafka, "w"), null, request));
      }
      try (Gateway gateway = withBacklog(config, records)) {
        int port = gateway.ingestPort("default");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().size() >= records.size());
        assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sentIds);
        assertThat(pyroscope.delivered())
            .hasSizeLessThan(records.size())
            .allSatisfy(
                r -> {
                  int series = PushRequest.parseFrom(r.body()).getSeriesCount();
                  assertThat(series == 1 || r.body().length <= Batcher.BATCH_BYTES)
                      .as("a request of %d series has %d bytes", series, r.body().length)
                      .isTrue();
                });
      }
    }
  }

  @Test
  void batchesNeverMixTenants() throws Exception {
    KafkaSettings kafka = sharedKafka();
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      GatewayConfig config =
          config(
              kafka,
              0,
              List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of())));
      Map<String, String> tenantOfSample = new HashMap<>();
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      String[] tenants = {"squad-1", "squad-2", null};
      for (int i = 0; i < 15; i++) {
        String tenant = tenants[i % tenants.length];
        PushRequest request = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());
        Profiles.sampleIds(request).forEach(id -> tenantOfSample.put(id, String.valueOf(tenant)));
        records.add(record(Topics.writeTopic(kafka, "w"), tenant, request));
      }
      try (Gateway gateway = withBacklog(config, records)) {
        int port = gateway.ingestPort("default");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().size() >= records.size());
        assertThat(pyroscope.deliveredSampleIds())
            .containsExactlyInAnyOrderElementsOf(tenantOfSample.keySet());
        assertThat(pyroscope.received()).hasSizeLessThan(records.size());
        for (FakePyroscope.Request r : pyroscope.delivered()) {
          String tenant = String.valueOf(r.headers().get("x-scope-orgid"));
          assertThat(Profiles.sampleIds(PushRequest.parseFrom(r.body())))
              .allSatisfy(
                  id ->
                      assertThat(tenantOfSample.get(id))
                          .as("tenant of sample %s", id)
                          .isEqualTo(tenant));
        }
      }
    }
  }

  @Test
  void aBatchRefusedWith400IsSentAgainRecordByRecordAndOnlyTheBadRecordIsDeadLettered() {
    KafkaSettings kafka = sharedKafka();
    byte[] marker = "poisoned-profile".getBytes(StandardCharsets.UTF_8);
    try (FakePyroscope pyroscope =
        new FakePyroscope()
            .refuseWhen(
                body -> indexOf(body, marker) >= 0,
                400,
                "{\"code\":\"invalid_argument\",\"message\":\"bad profile\"}")) {
      GatewayConfig config =
          config(
              kafka,
              0,
              List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of())));
      List<String> goodIds = new ArrayList<>();
      byte[] poison = null;
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        PushRequest request =
            Profiles.push(
                "svc",
                Profiles.jvmStacksPprof(1),
                i == 3 ? Map.of("kind", "poisoned-profile") : Map.of("kind", "fine"));
        if (i == 3) {
          poison = request.toByteArray();
        } else {
          goodIds.addAll(Profiles.sampleIds(request));
        }
        records.add(record(Topics.writeTopic(kafka, "w"), "squad-1", request));
      }
      try (Gateway gateway = withBacklog(config, records)) {
        int port = gateway.ingestPort("default");
        List<ConsumerRecord<String, byte[]>> dead =
            TestKafka.handle().read(Topics.deadLetterTopic(kafka, "w"), 1);
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly(poison);
        assertThat(header(dead.get(0), KafkaHeaders.DLQ_REASON))
            .startsWith("HTTP 400")
            .contains("bad profile");
        assertThat(header(dead.get(0), KafkaHeaders.DLQ_STATUS)).isEqualTo("400");
        assertThat(header(dead.get(0), KafkaHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead.get(0), "x-scope-orgid")).isEqualTo("squad-1");
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(pyroscope.deliveredSampleIds())
                        .containsExactlyInAnyOrderElementsOf(goodIds));
        assertThat(pyroscope.received())
            .as("the batch, then each record on its own")
            .anySatisfy(
                r -> assertThat(PushRequest.parseFrom(r.body()).getSeriesCount()).isGreaterThan(1));
        String labels =
            "{component_id=\"pyroscope.write.w\",endpoint=\"" + pyroscope.url() + "\"} ";
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                        .contains("pyroscope_write_dropped_profiles_total" + labels + 1.0)
                        .contains(
                            "pyroscope_write_sent_profiles_total"
                                + labels
                                + (double) goodIds.size()));
        assertThat(TestKafka.handle().readAll(Topics.deadLetterTopic(kafka, "w"))).hasSize(1);
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
