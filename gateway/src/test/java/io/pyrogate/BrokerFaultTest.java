package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.freePort;
import static io.pyrogate.testing.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SmallDisk;
import io.pyrogate.testing.TestGateways;
import org.junit.jupiter.api.Test;

/** The embedded broker's disk fills up (a real tmpfs): stopping, recovering, and ingest agreeing with readiness. */
class BrokerFaultTest {

  @Test
  void aStopAfterTheDiskFilledUpFinishesWithinItsDeadline() {
    int ingest = freePort();
    try (SmallDisk disk = SmallDisk.mountOrSkip(64); FakePyroscope pyroscope = new FakePyroscope()) {
      Gateway gateway = Gateway.start(embedded(ingest, pyroscope), TestGateways.options(disk.path()));
      int management = gateway.managementPort();
      await().atMost(Duration.ofSeconds(10)).until(() -> get(management, "/-/ready").statusCode() == 200);
      disk.fill();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          TestGateways.push(ingest, Profiles.push("full", Profiles.jvmStacksPprof(1), Map.of()).toByteArray()).statusCode() == 503);
      await().atMost(Duration.ofSeconds(30)).until(() -> get(management, "/-/ready").statusCode() == 503);

      long began = System.nanoTime();
      gateway.stop(Duration.ofSeconds(3));
      // Without a deadline the broker's controlled shutdown waited minutes for its dead controller.
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
    }
  }

  private static GatewayConfig embedded(int ingest, FakePyroscope pyroscope) {
    KafkaSettings kafka = new KafkaSettings(List.of(), "127.0.0.1:0", "fault.", 1, (short) 1);
    return config(kafka, ingest, List.of(new WriteComponent("w", List.of(TestGateways.endpoint("a", pyroscope.url())), Map.of())));
  }
}
