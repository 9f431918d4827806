package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.LoggingSettings;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.Profiles;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A delivery event is one line naming its component and endpoint as fields. */
class DeliveryLogTest {
  @Test
  void aDeadLetterIsOneLineWithTheWriteComponentAndTheEndpointName() {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(400, "bad profile");
        LogCapture logs =
            LogCapture.start(
                new LoggingSettings(LoggingSettings.Level.WARN, LoggingSettings.Format.JSON));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint("name = \"eu\"\nurl = \"" + pyroscope.url() + "\"", Map.of()),
                QUIET,
                List.of())) {
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      assertThat(harness.deadLetters(1)).hasSize(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> !deadLettered(logs).isEmpty());
      List<JsonObject> deadLettered = deadLettered(logs);
      assertThat(deadLettered).hasSize(1);
      assertThat(deadLettered.get(0).getString("level")).isEqualTo("warn");
      assertThat(deadLettered.get(0).getString("component")).isEqualTo("pyroscope.write.w");
      assertThat(deadLettered.get(0).getString("endpoint")).isEqualTo("eu");
    }
  }

  private static List<JsonObject> deadLettered(LogCapture logs) {
    return logs.lines().stream()
        .map(JsonObject::new)
        .filter(l -> l.getString("msg").contains("moved to the dead-letter topic"))
        .toList();
  }
}
