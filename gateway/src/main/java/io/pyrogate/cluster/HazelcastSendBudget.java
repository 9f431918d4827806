package io.pyrogate.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.pyrogate.delivery.SendBudget;
import io.pyrogate.delivery.TokenBucket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's {@link SendBudget} in cluster mode, shared by every member delivering to it: one
 * {@link TokenBucket} per endpoint and tenant in a Hazelcast map, keyed by write component,
 * endpoint and tenant. A reservation is one entry processor on the key's owner, which charges the
 * bucket on its own clock (so members' clocks need not agree) and answers the wait: one round trip,
 * asynchronous, answered on the caller's context. A bucket is dropped once it is full again, as a
 * missing one is full. Should the call fail or not be answered in {@link #CALL_TIMEOUT} (a member
 * leaving, the cluster splitting), the request is charged to this member's own budget instead: the
 * rate may be exceeded for a moment, delivery never waits on the cluster.
 */
final class HazelcastSendBudget implements SendBudget {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSendBudget.class);
  static final String MAP = "pyrogate.send-budget";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final IMap<String, TokenBucket> buckets;
  private final String keyPrefix;
  private final long rate;
  private final SendBudget fallback;

  /**
   * @param rate bytes per second of each tenant
   * @param fallback this member's own budget, charged when the cluster does not answer
   */
  HazelcastSendBudget(
      Vertx vertx,
      HazelcastInstance hazelcast,
      String write,
      String endpoint,
      long rate,
      SendBudget fallback) {
    this.vertx = vertx;
    this.buckets = hazelcast.getMap(MAP);
    this.keyPrefix = write + "/" + endpoint + "/";
    this.rate = rate;
    this.fallback = fallback;
  }

  @Override
  public Future<Duration> reserve(String tenant, long bytes) {
    Context context = vertx.getOrCreateContext();
    Future<Long> charged;
    try {
      charged =
          Future.fromCompletionStage(
              buckets.submitToKey(keyPrefix + tenant, new Charge(rate, bytes)), context);
    } catch (RuntimeException e) {
      charged = Future.failedFuture(e); // e.g. the member is shutting down
    }
    return charged
        .timeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .<Duration>map(Duration::ofNanos)
        .recover(
            e -> {
              LOG.debug(
                  "send budget of {}: the cluster did not answer ({}); charging this member's own",
                  keyPrefix,
                  e.toString());
              return fallback.reserve(tenant, bytes);
            });
  }

  /**
   * Charges a bucket on the key's owner and answers the wait in nanoseconds. Its backups get the
   * charged bucket as it is ({@link Store}), not a charge of their own on their own clock.
   */
  static final class Charge implements EntryProcessor<String, TokenBucket, Long> {
    private static final long serialVersionUID = 1L;

    private final long rate;
    private final long bytes;
    private TokenBucket charged;

    Charge(long rate, long bytes) {
      this.rate = rate;
      this.bytes = bytes;
    }

    @Override
    public Long process(Map.Entry<String, TokenBucket> entry) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      charged = TokenBucket.charge(entry.getValue(), rate, bytes, now);
      Store.set(entry, charged, rate);
      return charged.debt(rate).toNanos();
    }

    @Override
    public EntryProcessor<String, TokenBucket, Long> getBackupProcessor() {
      return new Store(charged, rate);
    }
  }

  /** Sets a bucket charged on the owner, on a backup. */
  static final class Store implements EntryProcessor<String, TokenBucket, Long> {
    private static final long serialVersionUID = 1L;

    private final TokenBucket bucket;
    private final long rate;

    Store(TokenBucket bucket, long rate) {
      this.bucket = bucket;
      this.rate = rate;
    }

    @Override
    public Long process(Map.Entry<String, TokenBucket> entry) {
      set(entry, bucket, rate);
      return null;
    }

    /** Sets the bucket, to expire once it is full again: then it is the same as none. */
    static void set(Map.Entry<String, TokenBucket> entry, TokenBucket bucket, long rate) {
      long ttl = bucket.untilFull(rate).toMillis() + 1;
      ((ExtendedMapEntry<String, TokenBucket>) entry).setValue(bucket, ttl, TimeUnit.MILLISECONDS);
    }
  }
}
