package io.pyrogate.delivery;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.DeadLetterReplay;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KafkaTest
class ReplayTest {

  @Test
  void aDeadLetterIsReplayedToTheEndpointThatGaveUpOnItOnlyAndOnlyOnce() {
    KafkaSettings kafka = TestGateways.sharedKafka();
    try (FakePyroscope healthy = new FakePyroscope();
        FakePyroscope rejecting =
            new FakePyroscope().respondWith(400, "{\"code\":\"invalid_argument\"}");
        Gateway gateway =
            TestGateways.start(
                config(
                    kafka,
                    0,
                    List.of(
                        new WriteComponent(
                            "w",
                            List.of(
                                endpoint("healthy", healthy.url()),
                                endpoint("rejecting", rejecting.url())),
                            Map.of()))))) {
      int port = gateway.ingestPort("default");
      PushRequest request = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());
      assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);
      assertThat(TestKafka.handle().read(Topics.deadLetterTopic(kafka, "w"), 1)).hasSize(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> healthy.delivered().size() == 1);

      rejecting.respondWith(200, "");
      StringWriter out = new StringWriter();
      DeadLetterReplay.Summary summary =
          new DeadLetterReplay(kafka, "w", null, null, new PrintWriter(out)).run();

      assertThat(summary).isEqualTo(new DeadLetterReplay.Summary(1, 0));
      assertThat(out.toString())
          .contains("replaying up to 1 dead letter(s) of pyroscope.write \"w\"")
          .contains("done: 1 replayed, 0 skipped");
      await().atMost(Duration.ofSeconds(30)).until(() -> rejecting.delivered().size() == 1);
      assertThat(rejecting.delivered().get(0).body()).isEqualTo(request.toByteArray());

      assertThat(
              new DeadLetterReplay(kafka, "w", null, null, new PrintWriter(new StringWriter()))
                  .run())
          .as("each dead letter is replayed once")
          .isEqualTo(new DeadLetterReplay.Summary(0, 0));
      assertThat(
              new DeadLetterReplay(
                      kafka, "w", "healthy", Instant.EPOCH, new PrintWriter(new StringWriter()))
                  .run())
          .as("--endpoint filters, --since replays again")
          .isEqualTo(new DeadLetterReplay.Summary(0, 1));
      // The healthy endpoint saw the replayed record go by and skipped it.
      PushRequest next = Profiles.push("next", Profiles.jvmStacksPprof(1), Map.of());
      assertThat(push(port, next.toByteArray()).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> healthy.delivered().size() == 2);
      assertThat(healthy.deliveredSampleIds())
          .containsExactlyInAnyOrder(
              Profiles.sampleIds(request).get(0), Profiles.sampleIds(next).get(0));
    }
  }
}
