package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quick start's first start and stop, embedded broker included, as a new user sees them at the
 * default level: a handful of info lines and not one warning or error.
 */
class CleanLogTest {
  @Test
  void aFirstStartAndStopOfTheQuickStartLogNoWarningOrError() throws IOException {
    String quickstart =
        Files.readString(Path.of("..", "examples", "quickstart.alloy"))
            .replace("127.0.0.1:9092", "127.0.0.1:0")
            .replace("listen_port    = 4040", "listen_port    = 0");
    GatewayConfig config =
        ConfigLoader.parse("quickstart.alloy", quickstart, Map.<String, String>of()::get).config();
    List<String> lines;
    try (LogCapture logs = LogCapture.start(config.logging())) {
      Gateway.start(config, TestGateways.options(TestGateways.tempDir())).stop();
      lines = logs.lines();
    }
    assertThat(lines)
        .as("a clean start and stop")
        .anyMatch(l -> l.contains("msg=\"pyrogate 0") || l.contains(" started in "))
        .anyMatch(l -> l.contains("msg=\"pyrogate stopped\""))
        .noneMatch(l -> l.contains(" level=warn ") || l.contains(" level=error "))
        .hasSizeLessThanOrEqualTo(15);
  }
}
