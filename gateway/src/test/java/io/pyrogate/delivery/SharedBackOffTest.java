package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * An endpoint in cluster mode ({@link SharedBackOff}): what it announces to the other members on a
 * Retry-After, an outage and its end, and that another member's hold stops its requests until the
 * hold ends or is released. The cluster is a loopback here, as the event bus is: every announcement
 * also reaches the announcer; {@code ClusterIT} runs the real one between processes.
 */
class SharedBackOffTest {

  /** A cluster of this one member: announcements are recorded and heard back. */
  private static final class Loopback implements SharedBackOff {
    record Announcement(Duration delay, String reason) {}

    final List<Announcement> announced = new CopyOnWriteArrayList<>();
    private volatile Context context;
    private volatile Consumer<Duration> hold;

    @Override
    public Future<Void> listen(Vertx vertx, Consumer<Duration> hold) {
      this.context = vertx.getOrCreateContext();
      this.hold = hold;
      return Future.succeededFuture();
    }

    @Override
    public void announce(Duration wait, String reason) {
      announced.add(new Announcement(wait, reason));
      heard(wait);
    }

    /** What another member's announcement does. */
    void heard(Duration wait) {
      context.runOnContext(v -> hold.accept(wait));
    }
  }

  @Test
  void aRetryAfterIsAnnouncedCappedAtTheMaxBackoffAndHoldsEveryRequest() {
    Loopback cluster = new Loopback();
    try (FakePyroscope pyroscope = new FakePyroscope().failNext(1, 429, "30");
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\nmin_backoff_period = \"50ms\"\nmax_backoff_period = \"3s\"",
                    Map.of()),
                QUIET,
                List.of(),
                cluster)) {
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.announced.isEmpty());
      assertThat(cluster.announced.get(0))
          .isEqualTo(new Loopback.Announcement(Duration.ofSeconds(3), "HTTP 429 with Retry-After"));
      long refusedAt = pyroscope.received().get(0).receivedAtNanos();

      // Another profile comes while the endpoint is held: it waits with the first.
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      await().atMost(Duration.ofSeconds(20)).until(() -> pyroscope.delivered().size() >= 1);
      assertThat(pyroscope.received().get(1).receivedAtNanos() - refusedAt)
          .as("nothing goes before the announced wait is over")
          .isGreaterThanOrEqualTo(Duration.ofMillis(2_900).toNanos());
    }
  }

  @Test
  void anotherMembersHoldStopsEveryRequestUntilItIsReleased() {
    Loopback cluster = new Loopback();
    try (FakePyroscope pyroscope = new FakePyroscope();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint("url = \"" + pyroscope.url() + "\"", Map.of()),
                QUIET,
                List.of(),
                cluster)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.hold != null);
      cluster.heard(Duration.ofMinutes(5));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> harness.heldUntil() > System.currentTimeMillis() + 240_000);
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> pyroscope.received().isEmpty());

      cluster.heard(Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(harness.heldUntil()).isZero();
      assertThat(cluster.announced).as("a member that was only held announces nothing").isEmpty();
    }
  }

  @Test
  void anOutageIsAnnouncedUntilTheNextProbeAndItsEndReleasesEveryMember() {
    Loopback cluster = new Loopback();
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(503, "down");
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\nmin_backoff_period = \"50ms\"\nmax_backoff_period = \"200ms\"",
                    Map.of()),
                QUIET,
                List.of(),
                cluster)) {
      for (int i = 0; i < 3; i++) {
        harness.store(Profiles.push("svc-" + i, Profiles.jvmStacksPprof(1), Map.of()));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
      await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.announced.isEmpty());
      assertThat(cluster.announced)
          .allSatisfy(
              a -> {
                assertThat(a.reason()).isEqualTo("endpoint in outage");
                assertThat(a.delay()).isBetween(Duration.ZERO, Duration.ofMillis(200));
              });

      pyroscope.respondWith(200, "");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() >= 3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  cluster
                      .announced
                      .get(cluster.announced.size() - 1)
                      .equals(new Loopback.Announcement(Duration.ZERO, "delivering again")));
    }
  }
}
