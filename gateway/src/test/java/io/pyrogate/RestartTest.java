package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost when pyrogate — embedded broker included — stops while an endpoint
 * is down.
 */
@KafkaTest
class RestartTest {

  @Test
  void profilesAcknowledgedWhileTheEndpointWasDownAreDeliveredAfterARestart() {
    Path storage = TestGateways.tempDir();
    KafkaSettings embedded =
        new KafkaSettings(
            List.of(), "127.0.0.1:0", KafkaSettings.DEFAULT_TOPIC_PREFIX, 2, (short) -1);
    List<String> acknowledged = new ArrayList<>();
    try (FakePyroscope pyroscope =
        new FakePyroscope().respondWith(503, "{\"code\":\"unavailable\"}")) {
      GatewayConfig config =
          config(
              embedded,
              0,
              List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of())));

      try (Gateway first = Gateway.start(config, TestGateways.options(storage))) {
        int ingestPort = first.ingestPort("default");
        for (int i = 0; i < 10; i++) {
          PushRequest request = Profiles.push("svc-" + i, Profiles.jvmStacksPprof(1), Map.of());
          assertThat(push(ingestPort, request.toByteArray()).statusCode()).isEqualTo(200);
          acknowledged.addAll(Profiles.sampleIds(request));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !pyroscope.received().isEmpty());
      }
      assertThat(pyroscope.delivered()).isEmpty();

      pyroscope.respondWith(200, "");
      try (Gateway second = Gateway.start(config, TestGateways.options(storage))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> assertThat(pyroscope.deliveredSampleIds()).containsAll(acknowledged));
      }
    }
  }
}
