package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SmallDisk;
import io.pyrogate.testing.TestGateways;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker's disk fills up (a real tmpfs): stopping, recovering, and ingest agreeing
 * with readiness.
 */
@KafkaTest
class BrokerFaultTest {

  @Test
  void aStopAfterTheDiskFilledUpFinishesWithinItsDeadline() {
    try (SmallDisk disk = SmallDisk.mountOrSkip(64);
        FakePyroscope pyroscope = new FakePyroscope()) {
      Gateway gateway = Gateway.start(embedded(0, pyroscope), TestGateways.options(disk.path()));
      int ingest = gateway.ingestPort("default");
      int management = gateway.managementPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(management, "/-/ready").statusCode() == 200);
      disk.fill();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TestGateways.push(
                              ingest,
                              Profiles.push("full", Profiles.jvmStacksPprof(1), Map.of())
                                  .toByteArray())
                          .statusCode()
                      == 503);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(management, "/-/ready").statusCode() == 503);

      long began = System.nanoTime();
      gateway.stop(Duration.ofSeconds(3));
      // Without a deadline the broker's controlled shutdown waited minutes for its dead controller.
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void
      afterTheDiskFilledUpIngestAnswers503WhileNotReadyAndBothRecoverByThemselvesWhenSpaceReturns() {
    try (SmallDisk disk = SmallDisk.mountOrSkip(64);
        FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            Gateway.start(embedded(0, pyroscope), TestGateways.options(disk.path()))) {
      int ingest = gateway.ingestPort("default");
      int management = gateway.managementPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(management, "/-/ready").statusCode() == 200);
      var before = Profiles.push("before", Profiles.jvmStacksPprof(1), Map.of());
      assertThat(TestGateways.push(ingest, before.toByteArray()).statusCode()).isEqualTo(200);

      disk.fill();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TestGateways.push(
                              ingest,
                              Profiles.push("full", Profiles.jvmStacksPprof(1), Map.of())
                                  .toByteArray())
                          .statusCode()
                      == 503);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(management, "/-/ready").statusCode() == 503);
      assertAgree(ingest, management);

      disk.free();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(management, "/-/ready").statusCode() == 200);
      var after = Profiles.push("after", Profiles.jvmStacksPprof(1), Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestGateways.push(ingest, after.toByteArray()).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  pyroscope
                      .deliveredSampleIds()
                      .containsAll(
                          List.of(
                              Profiles.sampleIds(before).get(0),
                              Profiles.sampleIds(after).get(0))));
    }
  }

  @Test
  void afterAFatalBrokerErrorIngestAnswers503WhileNotReadyAndTheBrokerIsRestarted() {
    Path storage = TestGateways.tempDir();
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway = Gateway.start(embedded(0, pyroscope), TestGateways.options(storage))) {
      int ingest = gateway.ingestPort("default");
      int management = gateway.managementPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(management, "/-/ready").statusCode() == 200);

      // What Kafka's fatal paths call; the broker itself keeps answering, as after a real fault it
      // partly does.
      assertThatThrownBy(
              () ->
                  Exit.exit(
                      1,
                      "injected fault in " + storage.resolve("kafka").toAbsolutePath().normalize()))
          .hasMessageContaining("injected fault");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(management, "/-/ready").statusCode() == 503);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(management, "/-/ready").statusCode() == 200);
      var after = Profiles.push("after-fault", Profiles.jvmStacksPprof(1), Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestGateways.push(ingest, after.toByteArray()).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pyroscope.deliveredSampleIds().contains(Profiles.sampleIds(after).get(0)));
    }
  }

  /** While /-/ready says 503, a push is answered 503 at once with Retry-After, and not stored. */
  private static void assertAgree(int ingest, int management) {
    var ready = get(management, "/-/ready");
    long began = System.nanoTime();
    var push =
        TestGateways.push(
            ingest,
            Profiles.push("while-down", Profiles.jvmStacksPprof(1), Map.of()).toByteArray());
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(push.statusCode()).as(push.body()).isEqualTo(503);
    assertThat(push.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
  }

  private static GatewayConfig embedded(int ingest, FakePyroscope pyroscope) {
    KafkaSettings kafka = new KafkaSettings(List.of(), "127.0.0.1:0", "fault.", 1, (short) 1);
    return config(
        kafka,
        ingest,
        List.of(
            new WriteComponent(
                "w", List.of(TestGateways.endpoint("a", pyroscope.url())), Map.of())));
  }
}
