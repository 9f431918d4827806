package io.pyrogate.delivery;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * An endpoint down for longer than the consumer's {@code max.poll.interval.ms} (set to 3 s here;
 * Kafka's default is 5 minutes): the endpoint's consumer used to stop polling while paused, was
 * evicted from its group, and its records went out twice (or were both dead-lettered and
 * delivered).
 */
@KafkaTest
class LongOutageTest {
  private static final int MAX_POLL_INTERVAL_MS = 3_000;

  @Test
  void anEndpointDownForSeveralMaxPollIntervalsGetsEveryProfileExactlyOnceFromTheSameGroupMember()
      throws Exception {
    KafkaSettings shared = TestGateways.sharedKafka();
    KafkaSettings kafka =
        new KafkaSettings(
            shared.bootstrapServers(),
            shared.embeddedListenAddress(),
            shared.topicPrefix(),
            shared.partitions(),
            shared.replicationFactor(),
            null,
            null,
            Map.of(),
            Map.of(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Integer.toString(MAX_POLL_INTERVAL_MS)));
    String group = Topics.endpointGroup(kafka, "w", "a");
    try (Admin admin = Admin.create(KafkaDefaults.admin(TestKafka.handle().bootstrapServers()));
        FakePyroscope pyroscope = new FakePyroscope().respondWith(503, "down");
        Gateway gateway =
            TestGateways.start(
                config(
                    kafka,
                    0,
                    List.of(
                        new WriteComponent(
                            "w",
                            List.of(
                                endpoint("a", pyroscope.url())
                                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 0)),
                            Map.of()))))) {
      int port = gateway.ingestPort("default");
      List<String> sentIds = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        PushRequest request = Profiles.push("svc" + i, Profiles.jvmStacksPprof(1), Map.of());
        sentIds.addAll(Profiles.sampleIds(request));
        assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> !pyroscope.received().isEmpty());
      String member = onlyMember(admin, group);

      // The outage itself: four times max.poll.interval.ms, during which the records are retried.
      await()
          .pollDelay(Duration.ofMillis(4L * MAX_POLL_INTERVAL_MS))
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.received().size() > 20);
      pyroscope.respondWith(200, "");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() >= sentIds.size());
      String labels = "{component_id=\"pyroscope.write.w\",endpoint=\"" + pyroscope.url() + "\"}";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
                      .contains("pyrogate_endpoint_lag_records" + labels + " 0.0"));
      assertThat(pyroscope.deliveredSampleIds())
          .as("each profile exactly once")
          .containsExactlyInAnyOrderElementsOf(sentIds);
      assertThat(TestGateways.get(gateway.managementPort(), "/metrics").body())
          .contains("pyroscope_write_dropped_profiles_total" + labels + " 0.0");
      assertThat(onlyMember(admin, group))
          .as("the same member: never evicted, never rejoined")
          .isEqualTo(member);
    }
  }

  private static String onlyMember(Admin admin, String group) throws Exception {
    List<MemberDescription> members =
        List.copyOf(
            admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(10, TimeUnit.SECONDS)
                .members());
    assertThat(members).hasSize(1);
    return members.get(0).consumerId();
  }
}
