package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The send budget's token bucket ({@link TokenBucket}, {@link LocalSendBudget}) on a clock the test
 * moves: a burst of one second of the rate, debt and the wait it makes, refill, and tenants apart.
 */
class LocalSendBudgetTest {
  private static final long RATE = 1000; // bytes per second
  private final AtomicLong nanos = new AtomicLong(123_456_789L);
  private final LocalSendBudget budget = new LocalSendBudget(RATE, nanos::get);

  @Test
  void aFullBucketLetsOneSecondOfTheRateGoAtOnce() {
    assertThat(budget.take("a", 600)).isZero();
    assertThat(budget.take("a", 400)).isZero();
    assertThat(budget.take("a", 1)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aRequestIsAlwaysGrantedAndWaitsUntilTheDebtItMadeIsPaid() {
    assertThat(budget.take("a", 3000)).as("2000 bytes of debt at 1000 B/s").isEqualTo(seconds(2));
    assertThat(budget.take("a", 500)).as("queued behind the debt").isEqualTo(seconds(2.5));
    advance(1);
    assertThat(budget.take("a", 100)).isEqualTo(seconds(1.6));
  }

  @Test
  void theBucketRefillsAtTheRateUpToOneSecondOfIt() {
    budget.take("a", 1000);
    advance(0.25);
    assertThat(budget.take("a", 250)).isZero();
    assertThat(budget.take("a", 1)).isEqualTo(Duration.ofMillis(1));
    advance(60); // idle long: the bucket holds no more than the burst
    assertThat(budget.take("a", 1000)).isZero();
    assertThat(budget.take("a", 100)).isEqualTo(seconds(0.1));
  }

  @Test
  void eachTenantHasItsOwnBucket() {
    assertThat(budget.take("a", 5000)).isEqualTo(seconds(4));
    assertThat(budget.take("b", 1000)).isZero();
    assertThat(budget.take("", 1000)).as("requests without a tenant share one").isZero();
    assertThat(budget.take("", 1000)).isEqualTo(seconds(1));
  }

  @Test
  void sentBytesStayWithinTheBurstPlusTheRateTimesTheTime() {
    // Requests of random sizes, each sent when its wait is over: by each send, what was sent is
    // at most one second of the rate plus the rate times the time since the start.
    java.util.Random random = new java.util.Random(42);
    long start = nanos.get();
    long sent = 0;
    for (int i = 0; i < 200; i++) {
      long bytes = 1 + random.nextInt(900);
      Duration wait = budget.take("a", bytes);
      long sendAt = nanos.get() + wait.toNanos();
      sent += bytes;
      assertThat((double) sent).isLessThanOrEqualTo(RATE + RATE * (sendAt - start) / 1e9 + 1e-6);
      nanos.addAndGet(random.nextInt(300_000_000));
    }
  }

  @Test
  void fullBucketsAreForgottenOnceThereAreMany() {
    for (int i = 0; i <= 1024; i++) {
      budget.take("tenant-" + i, 10);
    }
    budget.take("in-debt", 5000);
    advance(1.5);
    budget.take("new", 10);
    assertThat(budget.tenants()).as("only the one still in debt and the new one").isEqualTo(2);
    assertThat(budget.take("in-debt", 0)).isEqualTo(seconds(2.5));
  }

  @Test
  void aClockBehindTheBucketsRefillsNothingAndTheBucketGoesOnFromIt() {
    TokenBucket b = TokenBucket.charge(null, RATE, 2000, 10_000_000_000L);
    TokenBucket behind = TokenBucket.charge(b, RATE, 0, 9_000_000_000L);
    assertThat(behind).isEqualTo(new TokenBucket(-1000, 9_000_000_000L));
    assertThat(behind.debt(RATE)).isEqualTo(seconds(1));
    assertThat(TokenBucket.charge(behind, RATE, 0, 9_500_000_000L).debt(RATE))
        .isEqualTo(seconds(0.5));
  }

  private void advance(double seconds) {
    nanos.addAndGet((long) (seconds * 1e9));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
