package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.delivery.EndpointHealth.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EndpointHealthTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RetryPolicy policy =
      new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(5), 3, true, () -> 0.0);
  private final EndpointHealth health = new EndpointHealth(policy, now::get, now::get);

  private static RetryPolicy.Failure status(int status) {
    return new RetryPolicy.Failure(status, null, null, "HTTP " + status);
  }

  private static RetryPolicy.Failure refusedConnection() {
    return new RetryPolicy.Failure(0, null, null, "Connection refused");
  }

  /** A request sent now fails {@code after} milliseconds later. */
  private boolean failsAfter(long after, RetryPolicy.Failure f) {
    long sentAt = now.get();
    now.addAndGet(after);
    return health.failed(f, sentAt);
  }

  @Test
  void anEndpointStartsDelivering() {
    EndpointHealth.Snapshot s = health.snapshot();
    assertThat(s.state()).isEqualTo(State.DELIVERING);
    assertThat(s.nextAttemptMillis()).isZero();
    assertThat(s.lastSuccessMillis()).isZero();
    assertThat(s.lastError()).isNull();
    assertThat(health.inOutage()).isFalse();
  }

  @Test
  void
      threeFailuresInARowWithNoAnswerMakeAnOutageAnnouncedOnceWithTheFirstProbeAfterTheMinimumBackoff() {
    health.delivered(now.get());
    now.addAndGet(10);
    assertThat(failsAfter(5, status(503))).isFalse();
    assertThat(health.snapshot().state()).isEqualTo(State.BACKING_OFF);
    assertThat(failsAfter(5, refusedConnection())).isFalse();
    assertThat(failsAfter(5, status(503))).as("starts the outage").isTrue();

    EndpointHealth.Snapshot s = health.snapshot();
    assertThat(s.state()).isEqualTo(State.OUTAGE);
    assertThat(s.sinceMillis()).isEqualTo(now.get());
    assertThat(s.nextAttemptMillis()).isEqualTo(now.get() + 500);
    assertThat(s.lastErrorStatus()).isEqualTo(503);
    assertThat(s.lastErrorMillis()).isEqualTo(now.get());
    assertThat(health.inOutage()).isTrue();
    assertThat(failsAfter(5, status(503))).as("announced once").isFalse();
  }

  @Test
  void
      aRequestThatFailsWhileTheEndpointAnswersRequestsSentAfterItIsNoSignOfAnOutageAndItsOwnFailure() {
    for (int i = 0; i < 10; i++) {
      long sentAt = now.get();
      now.addAndGet(2);
      long otherSentAt = now.get();
      now.addAndGet(3);
      health.delivered(
          otherSentAt); // another request, sent after this one and accepted while it was on its way
      now.addAndGet(5);
      assertThat(health.failed(status(500), sentAt)).isFalse();
      assertThat(health.ownFailure(sentAt)).isTrue();
    }
    assertThat(health.snapshot().state()).isEqualTo(State.BACKING_OFF);
    assertThat(health.inOutage()).isFalse();
  }

  @Test
  void aFailureIsTheRequestsOwnOnlyWhenTheEndpointAnsweredARequestSentAfterIt() {
    long earlierSentAt = now.get();
    now.addAndGet(10);
    long sentAt = now.get();
    now.addAndGet(100);
    health.delivered(
        earlierSentAt); // answered during the flight, but sent before: the endpoint may have died
    // since
    health.failed(refusedConnection(), sentAt);
    assertThat(health.ownFailure(sentAt)).as("an answer to a request sent before it").isFalse();

    now.addAndGet(10);
    long laterSentAt = now.get();
    now.addAndGet(10);
    health.refused(status(400), laterSentAt);
    assertThat(health.ownFailure(sentAt))
        .as("a refusal for good of a request sent after it is an answer")
        .isTrue();
    assertThat(health.ownFailure(laterSentAt)).isFalse();
  }

  @Test
  void theRequestsSentAfterARecoveringProbeFailingAgainSpendNothingAndMakeANewOutage() {
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, status(503));
    }
    now.set(health.nextAttemptMillis());
    long probeSentAt = now.get();
    now.addAndGet(5);
    assertThat(health.delivered(probeSentAt)).isTrue();
    long[] sentAt = new long[8];
    for (int i = 0; i < sentAt.length; i++) {
      sentAt[i] = now.addAndGet(1);
    }
    now.addAndGet(50); // the endpoint crashes again: all eight fail
    boolean outage = false;
    for (long at : sentAt) {
      outage |= health.failed(status(503), at);
      assertThat(health.ownFailure(at)).as("a failure of the crash-looping endpoint").isFalse();
    }
    assertThat(outage).isTrue();
    assertThat(health.inOutage()).isTrue();
  }

  @Test
  void aFailureThatWasPartOfAnOutageIsNotTheRequestsOwnOnceTheEndpointAnswersAgain() {
    long sentAt = now.get();
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, refusedConnection());
    }
    now.addAndGet(1_000);
    long probeSentAt = now.get();
    health.delivered(probeSentAt);
    assertThat(health.ownFailure(sentAt)).as("sent before the outage began").isFalse();
    long laterSentAt = now.addAndGet(1);
    now.addAndGet(5);
    health.delivered(now.addAndGet(1));
    assertThat(health.ownFailure(laterSentAt)).as("sent after the outage").isTrue();
  }

  @Test
  void noFailureIsARequestsOwnInAnOutage() {
    long stragglerSentAt = now.get();
    now.addAndGet(5);
    health.delivered(now.get());
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, refusedConnection());
    }
    health.failed(status(500), stragglerSentAt - 1);
    assertThat(health.ownFailure(stragglerSentAt - 1)).isFalse();
  }

  @Test
  void theOrderOfAttemptsFollowsTheMonotonicClockAndAWallClockStepOnlyMovesTheTimesShown() {
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    EndpointHealth h = new EndpointHealth(policy, now::get, wall::get);
    long sentAt = now.get();
    now.addAndGet(10);
    wall.addAndGet(-3_600_000); // the wall clock steps an hour back
    long laterSentAt = now.get();
    now.addAndGet(10);
    h.delivered(laterSentAt);
    h.failed(status(500), sentAt);
    assertThat(h.ownFailure(sentAt)).isTrue();
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      long at = now.addAndGet(1);
      h.failed(refusedConnection(), at);
    }
    assertThat(h.inOutage()).isTrue();
    assertThat(h.nextAttemptMillis()).as("monotonic").isEqualTo(now.get() + 500);
    EndpointHealth.Snapshot s = h.snapshot();
    assertThat(s.nextAttemptMillis()).as("shown on the wall clock").isEqualTo(wall.get() + 500);
    assertThat(s.sinceMillis()).isEqualTo(wall.get());
    assertThat(s.lastSuccessMillis()).isEqualTo(wall.get());
    assertThat(s.lastErrorMillis()).isEqualTo(wall.get());
  }

  @Test
  void eachFailedProbeDoublesTheWaitUpToTheMaximum() {
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, refusedConnection());
    }
    long[] waits = new long[6];
    for (int i = 0; i < waits.length; i++) {
      now.set(health.nextAttemptMillis());
      failsAfter(3, refusedConnection());
      waits[i] = health.nextAttemptMillis() - now.get();
    }
    assertThat(waits).containsExactly(1000, 2000, 4000, 5000, 5000, 5000);
  }

  @Test
  void requestsSentBeforeTheOutageBeganDoNotDelayTheNextProbe() {
    long stragglerSentAt = now.get();
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, refusedConnection());
    }
    long probeAt = health.nextAttemptMillis();
    now.addAndGet(50);
    health.failed(status(504), stragglerSentAt);
    assertThat(health.nextAttemptMillis()).isEqualTo(probeAt);
    assertThat(health.snapshot().lastErrorStatus()).isEqualTo(504);
  }

  @Test
  void aRetryAfterSetsTheNextProbeCappedAtTheMaximum() {
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER - 1; i++) {
      failsAfter(1, status(503));
    }
    failsAfter(1, new RetryPolicy.Failure(429, null, "3", "HTTP 429"));
    assertThat(health.nextAttemptMillis() - now.get()).isEqualTo(3000);
    now.set(health.nextAttemptMillis());
    failsAfter(1, new RetryPolicy.Failure(429, null, "3600", "HTTP 429"));
    assertThat(health.nextAttemptMillis() - now.get()).isEqualTo(5000);
  }

  @Test
  void anAcceptedProbeEndsTheOutageOnceAndResetsTheBackoff() {
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER + 4; i++) {
      now.set(Math.max(now.get(), health.nextAttemptMillis()));
      failsAfter(1, status(503));
    }
    now.addAndGet(10_000);
    assertThat(health.delivered(now.get())).isTrue();
    assertThat(health.delivered(now.get())).isFalse();
    EndpointHealth.Snapshot s = health.snapshot();
    assertThat(s.state()).isEqualTo(State.DELIVERING);
    assertThat(s.lastSuccessMillis()).isEqualTo(now.get());
    assertThat(s.nextAttemptMillis()).isZero();
    assertThat(s.lastError()).isEqualTo("HTTP 503");

    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, status(503));
    }
    assertThat(health.nextAttemptMillis() - now.get()).as("backoff starts over").isEqualTo(500);
  }

  @Test
  void aRefusalForGoodEndsAnOutageButIsNoSuccess() {
    for (int i = 0; i < EndpointHealth.OUTAGE_AFTER; i++) {
      failsAfter(1, status(502));
    }
    assertThat(health.refused(status(400), now.get())).isTrue();
    assertThat(health.snapshot().state()).isEqualTo(State.DELIVERING);
    assertThat(health.snapshot().lastSuccessMillis()).isZero();
    assertThat(health.snapshot().lastErrorStatus()).isEqualTo(400);
  }

  @Test
  void backingOffShowsTheEarliestRetryStillAhead() {
    failsAfter(1, status(503));
    health.retryAt(now.get() + 700);
    health.retryAt(now.get() + 300);
    health.retryAt(now.get() + 900);
    assertThat(health.snapshot().nextAttemptMillis()).isEqualTo(now.get() + 300);
    now.addAndGet(400);
    health.retryAt(now.get() + 900);
    assertThat(health.snapshot().nextAttemptMillis())
        .as("the earlier one is past")
        .isEqualTo(now.get() + 900);
  }
}
