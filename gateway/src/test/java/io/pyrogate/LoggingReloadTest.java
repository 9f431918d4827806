package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.LoggingSettings;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload that changes the logging block applies its level and format at once. */
@KafkaTest
class LoggingReloadTest {
  @Test
  void aChangedLoggingBlockAppliesOnReloadAndAnUnchangedOneIsLeftAlone() {
    GatewayConfig config =
        TestGateways.config(TestGateways.sharedKafka(), 0, List.of())
            .withLogging(LoggingSettings.defaults());
    LoggingSettings json =
        new LoggingSettings(LoggingSettings.Level.INFO, LoggingSettings.Format.JSON);
    try (LogCapture logs = LogCapture.atInfo();
        Gateway gateway = TestGateways.start(config)) {
      assertThat(gateway.reload(config).unchanged()).isTrue();

      ReloadResult result = gateway.reload(config.withLogging(json));

      assertThat(result.changed()).containsExactly("logging");
      List<String> lines = logs.lines();
      String last = lines.get(lines.size() - 1);
      assertThat(new JsonObject(last).getString("msg"))
          .startsWith("configuration reloaded: changed: logging");

      gateway.reload(config.withLogging(json.withLevel(LoggingSettings.Level.WARN)));
      int before = logs.lines().size();
      assertThat(gateway.reload(config).changed()).containsExactly("logging");
      assertThat(logs.lines())
          .as("the reload back to info is logged in logfmt")
          .hasSize(before + 1)
          .last()
          .asString()
          .contains(" level=info msg=\"configuration reloaded: changed: logging");
    }
  }
}
