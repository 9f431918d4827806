package io.pyrogate.delivery;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A {@link SendBudget} of this instance alone: a {@link TokenBucket} per tenant, on this instance's
 * monotonic clock. The buckets of tenants idle long enough to be full again are forgotten once
 * there are many, so the tenants seen do not pile up. Used from the endpoint's event loop only.
 */
final class LocalSendBudget implements SendBudget {
  /** Above this many buckets, the full ones are forgotten (a full bucket is as none). */
  private static final int FORGET_FULL_ABOVE = 1024;

  private final long rate;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  /**
   * @param rate bytes per second of each tenant
   * @param nanoClock a monotonic clock in nanoseconds
   */
  LocalSendBudget(long rate, LongSupplier nanoClock) {
    this.rate = rate;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Duration> reserve(String tenant, long bytes) {
    return Future.succeededFuture(take(tenant, bytes));
  }

  /** Charges {@code bytes} now and answers the wait. */
  Duration take(String tenant, long bytes) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > FORGET_FULL_ABOVE) {
      buckets.values().removeIf(b -> now - b.atNanos() >= b.untilFull(rate).toNanos());
    }
    TokenBucket charged = TokenBucket.charge(buckets.get(tenant), rate, bytes, now);
    buckets.put(tenant, charged);
    return charged.debt(rate);
  }

  /** Tenants with a bucket now. */
  int tenants() {
    return buckets.size();
  }
}
