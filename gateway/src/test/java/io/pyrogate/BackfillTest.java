package io.pyrogate;

import static io.pyrogate.testing.TestGateways.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.StartFrom;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's {@code start_from} (a pyrogate extension): a new endpoint added by a reload
 * delivers what the topic held before it existed, from the earliest record or from a time, and its
 * lag counts that backlog; a group that already committed is never moved back.
 */
@GatewayTest
class BackfillTest {
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
  }

  @Test
  void aNewEndpointStartingFromTheEarliestRecordReceivesWhatWasStoredBeforeItAndCountsItAsLag(
      GatewayUnderTest fixture) {
    FakePyroscope a = pyroscope();
    FakePyroscope early = pyroscope().respondWith(503, "{\"code\":\"unavailable\"}");
    FakePyroscope atEnd = pyroscope();
    fixture.start(receiver() + write(endpoint("a", a.url(), "")));
    int ingest = fixture.ingestPort();
    List<PushRequest> before = List.of(profile("before-1"), profile("before-2"));
    for (PushRequest p : before) {
      assertThat(push(ingest, p.toByteArray()).statusCode()).isEqualTo(200);
    }

    fixture.rewrite(
        receiver()
            + write(
                endpoint("a", a.url(), "")
                    + endpoint("early", early.url(), "start_from = \"earliest\"")
                    + endpoint("at_end", atEnd.url(), "")));
    assertThat(fixture.reload().statusCode()).isEqualTo(200);

    String lag =
        "pyrogate_endpoint_lag_records{component_id=\"pyroscope.write.w\",endpoint=\""
            + early.url()
            + "\"} ";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(TestGateways.get(fixture.managementPort(), "/metrics").body())
                    .as("the backlog it starts with is its lag")
                    .contains(lag + "2.0"));

    early.respondWith(200, "");
    PushRequest after = profile("after");
    assertThat(push(ingest, after.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(early.deliveredSampleIds()).containsAll(ids(before.get(0), after));
              assertThat(early.deliveredSampleIds()).containsAll(ids(before.get(1)));
              assertThat(atEnd.deliveredSampleIds()).containsAll(ids(after));
            });
    assertThat(atEnd.deliveredSampleIds())
        .as("without start_from, a new endpoint starts at the end")
        .doesNotContainAnyElementsOf(ids(before.get(0), before.get(1)));
  }

  @Test
  void aNewEndpointStartingFromATimeReceivesTheRecordsStoredFromThenOn(GatewayUnderTest fixture) {
    FakePyroscope a = pyroscope();
    FakePyroscope fromTime = pyroscope();
    FakePyroscope fromFuture = pyroscope();
    FakePyroscope fromAgo = pyroscope();
    fixture.start(receiver() + write(endpoint("a", a.url(), "")));
    int ingest = fixture.ingestPort();
    PushRequest older = profile("older");
    assertThat(push(ingest, older.toByteArray()).statusCode()).isEqualTo(200);
    // Records carry the time pyrogate received them; "older" was received before its answer.
    Instant from = Instant.now().plusMillis(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(from));
    PushRequest newer = profile("newer");
    assertThat(push(ingest, newer.toByteArray()).statusCode()).isEqualTo(200);

    fixture.rewrite(
        receiver()
            + write(
                endpoint("a", a.url(), "")
                    + endpoint("from_time", fromTime.url(), "start_from = \"" + from + "\"")
                    + endpoint(
                        "from_future",
                        fromFuture.url(),
                        "start_from = \"" + Instant.now().plus(Duration.ofDays(1)) + "\"")
                    + endpoint("from_ago", fromAgo.url(), "start_from = \"1h\"")));
    assertThat(fixture.reload().statusCode()).isEqualTo(200);
    PushRequest last = profile("last");
    assertThat(push(ingest, last.toByteArray()).statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fromTime.deliveredSampleIds()).containsAll(ids(newer, last));
              assertThat(fromFuture.deliveredSampleIds()).containsAll(ids(last));
              assertThat(fromAgo.deliveredSampleIds()).containsAll(ids(older, newer, last));
            });
    assertThat(fromTime.deliveredSampleIds())
        .as("stored before the time")
        .doesNotContainAnyElementsOf(ids(older));
    assertThat(fromFuture.deliveredSampleIds())
        .as("no record at or after a future time: the end")
        .doesNotContainAnyElementsOf(ids(older, newer));
  }

  @Test
  void aRestartDoesNotStartTheGroupOverAgain(GatewayUnderTest fixture) throws Exception {
    KafkaSettings kafka = fixture.kafka();
    FakePyroscope pyroscope = pyroscope();
    Path storage = TestGateways.tempDir();
    var config =
        TestGateways.config(
            kafka,
            0,
            List.of(
                new WriteComponent(
                    "w",
                    List.of(
                        TestGateways.endpoint("b", pyroscope.url())
                            .withStartFrom(StartFrom.parse("earliest"))),
                    Map.of())));
    PushRequest first = profile("first");
    String group = Topics.endpointGroup(kafka, "w", "b");
    Map<TopicPartition, OffsetAndMetadata> committedBefore;
    try (Admin admin = Admin.create(new KafkaClients(kafka).admin())) {
      try (Gateway gateway = Gateway.start(config, TestGateways.options(storage))) {
        assertThat(push(gateway.ingestPort("default"), first.toByteArray()).statusCode())
            .isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().containsAll(ids(first)));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> committedTotal(committed(admin, group)) > 0);
        committedBefore = committed(admin, group);
      }

      try (Gateway gateway = Gateway.start(config, TestGateways.options(storage))) {
        assertThat(committed(admin, group))
            .as("the restarted endpoint goes on from its committed offsets")
            .isEqualTo(committedBefore);
        PushRequest second = profile("second");
        assertThat(push(gateway.ingestPort("default"), second.toByteArray()).statusCode())
            .isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().containsAll(ids(second)));
      }
    }
    assertThat(Collections.frequency(pyroscope.deliveredSampleIds(), ids(first).get(0)))
        .as("delivered once: not backfilled again")
        .isEqualTo(1);
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
      throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS);
  }

  private static long committedTotal(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
  }

  private FakePyroscope pyroscope() {
    FakePyroscope p = new FakePyroscope();
    closeLast.add(p);
    return p;
  }

  private static String receiver() {
    return """
        pyroscope.receive_http "default" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = 0
          }
          forward_to = [pyroscope.write.w.receiver]
        }
        """;
  }

  private static String write(String endpoints) {
    return "pyroscope.write \"w\" {\n" + endpoints + "}\n";
  }

  private static String endpoint(String name, String url, String extra) {
    return """
          endpoint {
            name               = "%s"
            url                = "%s"
            min_backoff_period = "50ms"
            max_backoff_period = "500ms"
            %s
          }
        """
        .formatted(name, url, extra);
  }

  private static PushRequest profile(String service) {
    return Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of());
  }

  private static List<String> ids(PushRequest... requests) {
    List<String> ids = new ArrayList<>();
    for (PushRequest r : requests) {
      ids.addAll(Profiles.sampleIds(r));
    }
    return ids;
  }
}
