package io.pyrogate.ops.status;

import static io.pyrogate.ops.status.StatusGateway.endpointOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.Version;
import io.pyrogate.config.ConfigException;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.TenantSendRate;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.EndpointVerticle;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/status} over plain HTTP: what a dashboard or script reads from it while profiles
 * flow, while an endpoint fails, and when it refuses a profile for good.
 */
@KafkaTest
class StatusApiTest {
  private static TestKafka broker;

  @BeforeAll
  static void broker(TestKafka handle) {
    broker = handle;
  }

  @Test
  void showsTheWiringRatesAndStateOfEveryEndpointAndReceiverWhileProfilesFlow() {
    try (StatusGateway g = new StatusGateway()) {
      g.push(5);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonObject s = g.status();
                for (String name : new String[] {"a", "b"}) {
                  JsonObject e = endpointOf(s, name);
                  assertThat(e.getString("state")).isEqualTo("delivering");
                  assertThat(e.getLong("lastSuccess")).isNotNull();
                  assertThat(e.getDouble("profilesPerSecond")).isPositive();
                  assertThat(e.getDouble("bytesPerSecond")).isPositive();
                }
                JsonObject receiver = s.getJsonArray("receivers").getJsonObject(0);
                assertThat(receiver.getJsonObject("requests").getDouble("200")).isEqualTo(5.0);
                assertThat(receiver.getJsonObject("requestsPerSecond").getDouble("200"))
                    .isPositive();
              });
      JsonObject s = g.status();
      assertThat(s.getString("version")).isEqualTo(Version.get());
      assertThat(s.getBoolean("ready")).isTrue();
      assertThat(s.getLong("uptimeSeconds")).isNotNegative();
      assertThat(s.getString("wiring"))
          .isEqualTo(
              "pyroscope.receive_http.default -> pyroscope.write.w\n"
                  + "pyroscope.write.w -> a\n"
                  + "pyroscope.write.w -> b");
      JsonObject kafka = s.getJsonObject("kafka");
      assertThat(kafka.getBoolean("embedded")).isFalse();
      assertThat(kafka.getBoolean("reachable")).isTrue();
      assertThat(kafka.getJsonArray("brokers").getList())
          .containsExactly(broker.bootstrapServers());
      JsonObject receiver = s.getJsonArray("receivers").getJsonObject(0);
      assertThat(receiver.getString("component")).isEqualTo("pyroscope.receive_http.default");
      assertThat(receiver.getString("listen")).isEqualTo("127.0.0.1:" + g.ingestPort);
      assertThat(receiver.getJsonArray("forwardTo").getList()).containsExactly("pyroscope.write.w");
      assertThat(s.getJsonObject("ingest").getLong("inflightCapBytes")).isPositive();
      JsonObject write = s.getJsonArray("writes").getJsonObject(0);
      assertThat(write.getString("component")).isEqualTo("pyroscope.write.w");
      assertThat(write.getString("topic")).endsWith("write.w");
      JsonObject a = endpointOf(s, "a");
      assertThat(a.getString("url")).isEqualTo(g.a.url());
      assertThat(a.getString("lastError")).isNull();
      assertThat(a.getDouble("deadLettered")).isZero();
      assertThat(a.containsKey("oldestUndeliveredSeconds")).isTrue();
      assertThat(write.containsKey("retentionSeconds")).isTrue();
      assertThat(s.getJsonObject("config").getString("summary"))
          .startsWith("1 pyroscope.write (2 endpoints)");
    }
  }

  @Test
  void anEndpointAnswering503ShowsTheErrorItsStatusAndTheNextAttemptThenDeliversAgain() {
    try (StatusGateway g = new StatusGateway()) {
      g.b.respondWith(503, "overloaded, come back later");
      g.push(3);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonObject b = endpointOf(g.status(), "b");
                assertThat(b.getString("state")).isIn("outage", "backing_off");
                assertThat(b.getInteger("lastErrorStatus")).isEqualTo(503);
                assertThat(b.getString("lastError")).contains("overloaded, come back later");
                assertThat(b.getLong("lastErrorAt")).isNotNull();
                assertThat(b.getLong("nextAttempt")).isNotNull();
              });
      assertThat(endpointOf(g.status(), "a").getString("state")).isEqualTo("delivering");

      g.b.respondWith(200, "");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonObject b = endpointOf(g.status(), "b");
                assertThat(b.getString("state")).isEqualTo("delivering");
                assertThat(b.getLong("lastSuccess")).isGreaterThan(b.getLong("lastErrorAt") - 1);
                assertThat(b.getLong("nextAttempt")).isNull();
              });
    }
  }

  @Test
  void anEndpointSlowerThanTheInflowIsPausedWhileItsWindowIsFullThenDeliversAgain() {
    try (StatusGateway g = new StatusGateway()) {
      // Slower than the inflow, without failing: answers come after 9 s (remote_timeout is 10 s).
      g.b.delayAnswers(Duration.ofSeconds(9));
      g.pushConcurrently(EndpointVerticle.WINDOW_RECORDS + 40);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(endpointOf(g.status(), "b").getString("state")).isEqualTo("paused"));
      assertThat(endpointOf(g.status(), "a").getString("state")).isEqualTo("delivering");

      g.b.delayAnswers(Duration.ZERO);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(endpointOf(g.status(), "b").getString("state"))
                      .isEqualTo("delivering"));
    }
  }

  @Test
  void aProfileRefusedForGoodCountsAsDeadLetteredWithItsReason() {
    try (StatusGateway g = new StatusGateway()) {
      g.a.refuseWhen(body -> true, 400, "invalid profile: no samples");
      g.push(2);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonObject a = endpointOf(g.status(), "a");
                assertThat(a.getDouble("deadLettered")).isEqualTo(2.0);
                JsonObject top = a.getJsonArray("deadLetterReasons").getJsonObject(0);
                assertThat(top.getString("reason")).contains("invalid profile: no samples");
                assertThat(top.getLong("count")).isEqualTo(2L);
                assertThat(a.getInteger("lastErrorStatus")).isEqualTo(400);
              });
      assertThat(endpointOf(g.status(), "b").getDouble("deadLettered")).isZero();
    }
  }

  @Test
  void anEndpointWithASendBudgetShowsItAndHowMuchItHeldRequestsAndOneWithoutShowsNone() {
    try (StatusGateway g = new StatusGateway(TenantSendRate.parse("1KiB"))) {
      g.push(4);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          endpointOf(g.status(), "a").getDouble("sendBudgetHeldSecondsPerSecond"))
                      .isPositive());
      JsonObject s = g.status();
      assertThat(endpointOf(s, "a").getLong("tenantSendRateBytesPerSecond")).isEqualTo(1024L);
      JsonObject b = endpointOf(s, "b");
      assertThat(b.getValue("tenantSendRateBytesPerSecond")).isNull();
      assertThat(b.getValue("sendBudgetHeldSecondsPerSecond")).isNull();
      assertThat(TestGateways.get(g.gateway.managementPort(), "/").body())
          .containsPattern(
              "send budget 1\\.0 KiB/s per tenant · held \\d+\\.\\d\\d s/s by the send budget")
          .contains("data-k=\"writes.0.endpoints.1\" data-f=\"budget\"></span>");
    }
  }

  @Test
  void thePageIsServedAsHtmlWithEveryEndpointAndNoExternalAsset() {
    try (StatusGateway g = new StatusGateway()) {
      HttpResponse<String> page = TestGateways.get(g.gateway.managementPort(), "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body())
          .contains("<meta name=\"viewport\"")
          .contains("data-endpoint=\"a\"")
          .contains("data-endpoint=\"b\"")
          .contains("pyroscope.receive_http.default")
          .doesNotContainPattern("(src|href)=\"(https?:)?//");
    }
  }

  @Test
  void aReloadShowsWhatItChangedAndTheNewWiringAndARefusedOneTheFirstLineOfItsReason() {
    try (FakePyroscope a = new FakePyroscope();
        FakePyroscope c = new FakePyroscope()) {
      KafkaSettings kafka = TestGateways.sharedKafka();
      GatewayConfig first = withEndpoints(kafka, TestGateways.endpoint("a", a.url()));
      GatewayConfig second =
          withEndpoints(
              kafka, TestGateways.endpoint("a", a.url()), TestGateways.endpoint("c", c.url()));
      AtomicReference<Gateway.ConfigSource> next = new AtomicReference<>(() -> second);
      Gateway gateway =
          Gateway.start(
              first, TestGateways.options(TestGateways.tempDir()), () -> next.get().load());
      try {
        assertThat(status(gateway).getJsonObject("config").getValue("lastReload")).isNull();

        gateway.reloadFromSource();
        JsonObject s = status(gateway);
        JsonObject reload = s.getJsonObject("config").getJsonObject("lastReload");
        assertThat(reload.getBoolean("succeeded")).isTrue();
        assertThat(reload.getString("result")).isEqualTo("added: pyroscope.write.w endpoint \"c\"");
        assertThat(s.getString("wiring")).endsWith("pyroscope.write.w -> c");
        assertThat(endpointOf(s, "c").getString("url")).isEqualTo(c.url());

        next.set(
            () -> {
              throw new ConfigException(
                  "reload.alloy:3:1: unknown block \"nope\"\n  3 | nope {}\n", List.of());
            });
        assertThatThrownBy(gateway::reloadFromSource).isInstanceOf(ConfigException.class);
        reload = status(gateway).getJsonObject("config").getJsonObject("lastReload");
        assertThat(reload.getBoolean("succeeded")).isFalse();
        assertThat(reload.getString("result"))
            .isEqualTo("reload.alloy:3:1: unknown block \"nope\" …");
        assertThat(status(gateway).getString("wiring")).endsWith("pyroscope.write.w -> c");
      } finally {
        gateway.stop();
      }
    }
  }

  private static GatewayConfig withEndpoints(KafkaSettings kafka, Endpoint... endpoints) {
    return TestGateways.config(
        kafka, 0, List.of(new WriteComponent("w", List.of(endpoints), Map.of())));
  }

  private static JsonObject status(Gateway gateway) {
    return new JsonObject(TestGateways.get(gateway.managementPort(), "/api/status").body());
  }
}
