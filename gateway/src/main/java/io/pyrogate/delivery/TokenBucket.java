package io.pyrogate.delivery;

import java.io.Serializable;
import java.time.Duration;

/**
 * A tenant's send budget at one moment: a token bucket of bytes that may go into debt, as Go's
 * {@code rate.Limiter.ReserveN} (the limiter of Pyroscope's distributor) does. It fills at the rate
 * and holds at most one second of it (the burst); a request {@link #charge charges} its bytes at
 * once, whatever the bucket holds, and goes when the bucket is out of debt ({@link #debt}), which
 * is when Pyroscope's bucket, filling at the same rate, would admit it. So the requests of a tenant
 * go in order, and what is sent by any time is at most the burst plus the rate times the time since
 * the first. Immutable; the clock is the caller's, in nanoseconds.
 *
 * @param tokens the bytes it holds, negative in debt
 * @param atNanos when it held them
 */
public record TokenBucket(double tokens, long atNanos) implements Serializable {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * The bucket after {@code bytes} were charged at {@code nowNanos}.
   *
   * @param before the bucket as last charged; null when it never was (or long ago): full
   * @param rate bytes per second, also the most it holds
   */
  public static TokenBucket charge(TokenBucket before, long rate, long bytes, long nowNanos) {
    if (before == null) {
      return new TokenBucket((double) rate - bytes, nowNanos);
    }
    // A clock behind the bucket's (another member's, when the bucket moved) refills nothing, and
    // the bucket goes on from its time.
    long elapsed = Math.max(0, nowNanos - before.atNanos);
    double filled = Math.min(rate, before.tokens + (double) rate * elapsed / NANOS_PER_SECOND);
    return new TokenBucket(filled - bytes, nowNanos);
  }

  /**
   * How long from {@link #atNanos} until the bucket is out of debt; zero when it is not in debt.
   */
  public Duration debt(long rate) {
    return tokens >= 0
        ? Duration.ZERO
        : Duration.ofNanos((long) Math.ceil(-tokens * NANOS_PER_SECOND / rate));
  }

  /**
   * How long from {@link #atNanos} until the bucket is full again: from then on it is the same as
   * none ({@link #charge} with null).
   */
  public Duration untilFull(long rate) {
    return Duration.ofNanos((long) Math.ceil((rate - tokens) * NANOS_PER_SECOND / rate));
  }
}
