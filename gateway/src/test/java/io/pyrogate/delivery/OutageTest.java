package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that answers nothing is in outage, which is no record's failure: with 3 attempts
 * allowed, an outage of any length dead-letters nothing, while a record the endpoint fails on its
 * own still goes after its 3 attempts.
 */
@KafkaTest
class OutageTest {
  private static final int PROFILES = 10;

  private static String endpointBlock(String url) {
    return """
        url = "%s"
        min_backoff_period = "10ms"
        max_backoff_period = "200ms"
        max_backoff_retries = 3
        """
        .formatted(url);
  }

  /**
   * Stores profiles of different tenants, so each goes in a request of its own; returns their
   * sample IDs.
   */
  private static List<String> storeProfiles(EndpointHarness harness, String prefix) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < PROFILES; i++) {
      PushRequest request =
          Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("i", prefix + i));
      ids.addAll(Profiles.sampleIds(request));
      harness.store(prefix + i, request);
    }
    return ids;
  }

  @Test
  void anEndpointAnswering503ToEverythingFarLongerThanThreeAttemptsIsProbedAndLosesNothing() {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(503, "down");
        EndpointHarness harness =
            new EndpointHarness(
                EndpointHarness.endpoint(endpointBlock(pyroscope.url()), Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      List<String> sent = storeProfiles(harness, "t");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
      String labels = "component_id=\"pyroscope.write.w\",endpoint=\"" + pyroscope.url() + "\"";
      assertThat(harness.metrics())
          .contains("pyrogate_endpoint_up{" + labels + "} 0.0")
          .contains("pyrogate_endpoint_state{" + labels + ",state=\"outage\"} 1.0")
          .contains("pyrogate_endpoint_state{" + labels + ",state=\"delivering\"} 0.0")
          .containsPattern(
              "pyrogate_endpoint_next_attempt_timestamp_seconds\\{" + labels + "} [1-9]");
      assertThat(harness.health().lastErrorStatus()).isEqualTo(503);
      assertThat(harness.health().lastError()).isEqualTo("HTTP 503: down");

      // Probes, one at a time at most every 200 ms, not each of the ten requests on its own timer.
      int before = pyroscope.received().size();
      long start = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.received().size() >= before + 10);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
      assertThat(pyroscope.received())
          .as("far more failures than 3 attempts of each profile")
          .hasSizeGreaterThan(3 * 3);

      pyroscope.respondWith(200, "");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() >= sent.size());
      assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(harness.allDeadLetters()).extracting(ConsumerRecord::key).isEmpty();
      assertThat(harness.health().state()).isEqualTo(EndpointHealth.State.DELIVERING);
      assertThat(harness.health().lastSuccessMillis()).isPositive();
      assertThat(harness.metrics())
          .contains("pyrogate_endpoint_up{" + labels + "} 1.0")
          .contains("pyrogate_endpoint_state{" + labels + ",state=\"outage\"} 0.0")
          .contains("pyrogate_endpoint_state{" + labels + ",state=\"delivering\"} 1.0")
          .contains("pyrogate_endpoint_next_attempt_timestamp_seconds{" + labels + "} 0.0")
          .containsPattern(
              "pyrogate_endpoint_last_success_timestamp_seconds\\{" + labels + "} [1-9]");
    }
  }

  @Test
  void anEndpointRefusingConnectionsFarLongerThanThreeAttemptsGetsEveryProfileOnceItListens() {
    // A port known in advance: it refuses connections until the endpoint starts listening on it.
    int port = TestGateways.freePort();
    String url = "http://127.0.0.1:" + port;
    try (EndpointHarness harness =
        new EndpointHarness(
            EndpointHarness.endpoint(endpointBlock(url), Map.of()),
            EndpointClients.Settings.system(),
            List.of())) {
      List<String> sent = storeProfiles(harness, "t");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
      assertThat(harness.health().lastErrorStatus()).isZero();
      assertThat(harness.health().lastError()).containsIgnoringCase("refused");
      // Three attempts take about 70 ms here; stay down for 2 s.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> System.currentTimeMillis() - harness.health().sinceMillis() >= 2_000);

      try (FakePyroscope pyroscope = new FakePyroscope(port)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().size() >= sent.size());
        assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(harness.allDeadLetters()).extracting(ConsumerRecord::key).isEmpty();
      }
    }
  }

  @Test
  void aRecordTheEndpointFailsWhileServingOthersIsDeadLetteredAfterItsThreeAttempts() {
    byte[] marker = "poisoned-profile".getBytes(StandardCharsets.UTF_8);
    try (FakePyroscope pyroscope =
            new FakePyroscope().refuseWhen(body -> contains(body, marker), 500, "boom");
        EndpointHarness harness =
            new EndpointHarness(
                EndpointHarness.endpoint(endpointBlock(pyroscope.url()), Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      PushRequest poison =
          Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("kind", "poisoned-profile"));
      harness.store("poison", poison);
      List<String> good = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String dropped =
          "pyroscope_write_dropped_profiles_total{component_id=\"pyroscope.write.w\",endpoint=\""
              + pyroscope.url()
              + "\"} 1.0";
      // Profiles keep coming, as they do from running applications, and the endpoint accepts them.
      for (int i = 0; !harness.metrics().contains(dropped); i++) {
        assertThat(System.nanoTime())
            .as("the poisoned profile was dead-lettered")
            .isLessThan(deadline);
        PushRequest request =
            Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("i", Integer.toString(i)));
        good.addAll(Profiles.sampleIds(request));
        harness.store("good", request);
      }

      List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);
      assertThat(dead).extracting(ConsumerRecord::value).containsExactly(poison.toByteArray());
      assertThat(header(dead.get(0), KafkaHeaders.DLQ_REASON))
          .isEqualTo("gave up after 3 attempts: HTTP 500: boom");
      assertThat(header(dead.get(0), KafkaHeaders.DLQ_STATUS)).isEqualTo("500");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(pyroscope.deliveredSampleIds())
                      .containsExactlyInAnyOrderElementsOf(good));
      assertThat(poisonAttempts(pyroscope, marker)).isGreaterThanOrEqualTo(3);
      assertThat(harness.allDeadLetters()).hasSize(1);
    }
  }

  @Test
  void aCrashLoopingEndpointThatServesOneRequestAfterEachRestartDeadLettersNothing() {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(503, "crashed");
        EndpointHarness harness =
            new EndpointHarness(
                EndpointHarness.endpoint(endpointBlock(pyroscope.url()), Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      List<String> sent = storeProfiles(harness, "t");
      // Each time the endpoint is in outage it comes back for one request (the probe), then fails
      // everything again.
      for (int cycle = 0; pyroscope.deliveredSampleIds().size() < sent.size(); cycle++) {
        assertThat(cycle).as("one profile gets through per restart").isLessThan(3 * PROFILES);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
        int before = pyroscope.delivered().size();
        pyroscope.succeedNext(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() > before);
      }
      assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(pyroscope.received().size())
          .as("each profile failed more than its 3 attempts")
          .isGreaterThan(3 * PROFILES + PROFILES);
      assertThat(harness.allDeadLetters()).extracting(ConsumerRecord::key).isEmpty();
    }
  }

  @Test
  void aBatchOutOfRetriesIsSentRecordByRecordSoOnlyTheFailingRecordIsDeadLettered() {
    byte[] marker = "poisoned-profile".getBytes(StandardCharsets.UTF_8);
    byte[] batchedMarker = "batched-with-poison".getBytes(StandardCharsets.UTF_8);
    try (FakePyroscope pyroscope =
            new FakePyroscope().refuseWhen(body -> contains(body, marker), 500, "boom");
        EndpointHarness harness =
            new EndpointHarness(
                EndpointHarness.endpoint(endpointBlock(pyroscope.url()), Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      PushRequest poison =
          Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("kind", "poisoned-profile"));
      List<PushRequest> batch = new ArrayList<>(List.of(poison));
      List<String> batchedIds = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        PushRequest request =
            Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("kind", "batched-with-poison"));
        batchedIds.addAll(Profiles.sampleIds(request));
        batch.add(request);
      }
      harness.storeTogether("batch", batch);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String dropped =
          "pyroscope_write_dropped_profiles_total{component_id=\"pyroscope.write.w\",endpoint=\""
              + pyroscope.url()
              + "\"} 1.0";
      // Other profiles keep coming and the endpoint accepts them: the batch fails on its own.
      for (int i = 0; !harness.metrics().contains(dropped); i++) {
        assertThat(System.nanoTime())
            .as("the poisoned profile was dead-lettered")
            .isLessThan(deadline);
        harness.store(
            "other",
            Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("i", Integer.toString(i))));
      }

      assertThat(pyroscope.received())
          .as("the poisoned profile went in a batch")
          .anyMatch(r -> contains(r.body(), marker) && contains(r.body(), batchedMarker));
      List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);
      assertThat(dead).extracting(ConsumerRecord::value).containsExactly(poison.toByteArray());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(pyroscope.deliveredSampleIds()).containsAll(batchedIds));
      assertThat(harness.allDeadLetters()).hasSize(1);
    }
  }

  private static long poisonAttempts(FakePyroscope pyroscope, byte[] marker) {
    return pyroscope.received().stream().filter(r -> contains(r.body(), marker)).count();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1)
        .contains(new String(needle, StandardCharsets.ISO_8859_1));
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
