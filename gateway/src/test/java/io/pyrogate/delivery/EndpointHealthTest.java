package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.pyrogate.delivery.EndpointHealth.State;
import org.junit.jupiter.api.Test;

class EndpointHealthTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(5), 3, true, () -> 0.0);
  private final EndpointHealth health = new EndpointHealth(policy, now::get);

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
  void threeFailuresInARowWithNoAnswerMakeAnOutageAnnouncedOnceWithTheFirstProbeAfterTheMinimumBackoff() {
    health.delivered();
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
  void aRequestThatFailsWhileTheEndpointAnswersOthersIsNoSignOfAnOutage() {
    for (int i = 0; i < 10; i++) {
      long sentAt = now.get();
      now.addAndGet(5);
      health.delivered(); // another request, accepted while this one was on its way
      now.addAndGet(5);
      assertThat(health.failed(status(500), sentAt)).isFalse();
      assertThat(health.answeredSince(sentAt)).isTrue();
    }
    assertThat(health.snapshot().state()).isEqualTo(State.BACKING_OFF);
    assertThat(health.inOutage()).isFalse();
  }

  @Test
  void aFailureSpendsARecordsBudgetOnlyWhenTheEndpointAnsweredSinceItsPreviousFailure() {
    long previousFailure = now.get();
    now.addAndGet(100);
    assertThat(health.answeredSince(previousFailure)).isFalse();
    health.refused(status(400));
    assertThat(health.answeredSince(previousFailure)).as("a refusal for good is an answer").isTrue();
    assertThat(health.answeredSince(now.get())).isFalse();
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
    assertThat(health.delivered()).isTrue();
    assertThat(health.delivered()).isFalse();
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
    assertThat(health.refused(status(400))).isTrue();
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
    assertThat(health.snapshot().nextAttemptMillis()).as("the earlier one is past").isEqualTo(now.get() + 900);
  }
}
