package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.freePort;
import static io.pyrogate.testing.TestGateways.get;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.EmbeddedKafka;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KafkaTest
class ReadinessTest {

  @Test
  void readyOnceStartedAndHealthyAlways() {
    try (Gateway gateway = TestGateways.start(config(sharedKafka(), 0, List.of()))) {
      int port = gateway.managementPort();
      assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
      var metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body()).contains("jvm_memory_used_bytes");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                var ready = get(port, "/-/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).isEqualTo("pyrogate is ready.\n");
              });
    }
  }

  @Test
  void concurrentStopsWaitForTheSameStop() throws Exception {
    Gateway gateway = TestGateways.start(config(sharedKafka(), 0, List.of()));
    int port = gateway.managementPort();
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> gateway.stop(Duration.ofSeconds(20)));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.state() != Lifecycle.State.RUNNING);

    assertThat(gateway.stop(Duration.ofSeconds(20))).isTrue();
    assertThatThrownBy(() -> get(port, "/-/healthy"))
        .as("stopped when the second stop returned")
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(first.get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void notReadyAndAnswering503WhileKafkaIsDownAndBackByItselfWhenKafkaReturns() {
    java.nio.file.Path data = TestGateways.tempDir();
    // A port known in advance: the broker comes back on it, where the gateway's clients look.
    int kafkaPort = freePort();
    EmbeddedKafka broker = EmbeddedKafka.start(data, "127.0.0.1", kafkaPort);
    KafkaSettings kafka =
        new KafkaSettings(List.of(broker.bootstrapServers()), "unused:0", "r.", 1, (short) 1);
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    kafka,
                    0,
                    List.of(
                        new WriteComponent(
                            "w",
                            List.of(TestGateways.endpoint("a", pyroscope.url())),
                            Map.of()))))) {
      int ingest = gateway.ingestPort("default");
      int port = gateway.managementPort();
      await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/-/ready").statusCode() == 200);

      broker.close();

      var response =
          TestGateways.push(
              ingest, Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(response.body())
          .contains("\"code\":\"unavailable\"")
          .contains("Kafka did not acknowledge");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                var ready = get(port, "/-/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).startsWith("pyrogate is not ready: Kafka unreachable");
              });
      assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);

      broker = EmbeddedKafka.start(data, "127.0.0.1", kafkaPort);

      await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/-/ready").statusCode() == 200);
      var pushed = Profiles.push("back", Profiles.jvmStacksPprof(1), Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestGateways.push(ingest, pushed.toByteArray()).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().contains(Profiles.sampleIds(pushed).get(0)));
    } finally {
      broker.close();
    }
  }
}
