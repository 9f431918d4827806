package io.pyrogate.delivery;

import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Whether an endpoint is serving, as a state machine fed with the outcome of every attempt, so that an endpoint
 * being down is never counted as a record's failure.
 *
 * <ul>
 *   <li>{@link State#DELIVERING}: no failure since the endpoint last answered.</li>
 *   <li>{@link State#BACKING_OFF}: some requests failed and are retried on their own, but the endpoint is not known
 *       to be down.</li>
 *   <li>{@link State#OUTAGE}: {@value #OUTAGE_AFTER} requests in a row, all sent after the endpoint last answered,
 *       failed in a way worth retrying (no answer, timeout, 5xx, 429). The endpoint is then probed one request at a
 *       time; the wait between probes grows from {@code min_backoff_period} to {@code max_backoff_period} with each
 *       probe that fails, or is what the endpoint's Retry-After asks (capped at the max).</li>
 * </ul>
 *
 * <p>The endpoint <em>answers</em> when it accepts a request (2xx) or refuses one for good (a 4xx not retried): it is
 * up, and a failure of another request while it answers is that request's own. {@link #answeredSince} tells whether
 * a record's failure spends its retry budget. Fed from the endpoint's event loop; {@link #snapshot()} may be read
 * from any thread. Time comes from an injected clock (epoch milliseconds).
 */
public final class EndpointHealth {
  /** Failed requests in a row, sent after the last answer, that make an outage. */
  static final int OUTAGE_AFTER = 3;

  /** What the endpoint is doing; {@link #label()} is the metric label. */
  public enum State {
    DELIVERING, BACKING_OFF, OUTAGE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The state as the status page and the metrics show it. Times are epoch milliseconds, 0 when there is none.
   *
   * @param sinceMillis when the endpoint entered this state
   * @param nextAttemptMillis in outage the next probe; backing off the next retry known; 0 when delivering
   * @param lastErrorStatus HTTP status of the last failure, 0 when it had no answer
   * @param lastError what the last failure was, null before the first
   */
  public record Snapshot(State state, long sinceMillis, long nextAttemptMillis, long lastSuccessMillis,
      long lastErrorMillis, int lastErrorStatus, String lastError) {
  }

  private final RetryPolicy policy;
  private final LongSupplier clock;
  private State state = State.DELIVERING;
  private long since;
  private long lastAnswered;
  private long lastSuccess;
  private int failuresInARow;
  private int probesFailed;
  private long nextAttempt;
  private long lastErrorAt;
  private int lastErrorStatus;
  private String lastError;
  private volatile Snapshot snapshot;

  /**
   * @param policy the endpoint's backoff (its budget is not used here)
   * @param clock the current time in epoch milliseconds
   */
  EndpointHealth(RetryPolicy policy, LongSupplier clock) {
    this.policy = policy;
    this.clock = clock;
    this.since = clock.getAsLong();
    publish();
  }

  /** A request was accepted (2xx). Returns true when this ends an outage. */
  boolean delivered() {
    lastSuccess = clock.getAsLong();
    return answered(lastSuccess);
  }

  /** A request was refused for good: the endpoint is up, the request is at fault. Returns true when this ends an outage. */
  boolean refused(RetryPolicy.Failure f) {
    long now = clock.getAsLong();
    error(f, now);
    return answered(now);
  }

  private boolean answered(long now) {
    boolean recovered = state == State.OUTAGE;
    lastAnswered = now;
    failuresInARow = 0;
    probesFailed = 0;
    nextAttempt = 0;
    enter(State.DELIVERING, now);
    return recovered;
  }

  /**
   * A failure worth retrying of a request sent at {@code sentAtMillis}. Returns true when this starts an outage.
   * A request that was on its way while the endpoint answered others failed on its own: it counts for no outage.
   */
  boolean failed(RetryPolicy.Failure f, long sentAtMillis) {
    long now = clock.getAsLong();
    error(f, now);
    if (sentAtMillis < lastAnswered) {
      if (state == State.DELIVERING) {
        enter(State.BACKING_OFF, now);
      }
      publish();
      return false;
    }
    if (state == State.OUTAGE) {
      if (sentAtMillis >= since) { // a probe; requests sent before the outage began say nothing new
        probesFailed++;
        nextAttempt = now + policy.delay(f, probesFailed, Instant.ofEpochMilli(now)).toMillis();
      }
      publish();
      return false;
    }
    if (++failuresInARow < OUTAGE_AFTER) {
      enter(State.BACKING_OFF, now);
      return false;
    }
    probesFailed = 1;
    nextAttempt = now + policy.delay(f, probesFailed, Instant.ofEpochMilli(now)).toMillis();
    enter(State.OUTAGE, now);
    return true;
  }

  /** Whether the endpoint answered a request after {@code millis}: a failure since then is the failing request's own. */
  boolean answeredSince(long millis) {
    return lastAnswered > millis;
  }

  boolean inOutage() {
    return state == State.OUTAGE;
  }

  /** In outage, when the next probe may go. */
  long nextAttemptMillis() {
    return nextAttempt;
  }

  /** Backing off, a request's retry is due at {@code millis}; the earliest one still ahead is shown. */
  void retryAt(long millis) {
    if (state == State.BACKING_OFF && (nextAttempt <= clock.getAsLong() || millis < nextAttempt)) {
      nextAttempt = millis;
      publish();
    }
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  private void error(RetryPolicy.Failure f, long now) {
    lastErrorAt = now;
    lastErrorStatus = f.status();
    lastError = f.reason();
  }

  private void enter(State next, long now) {
    if (state != next) {
      state = next;
      since = now;
    }
    publish();
  }

  private void publish() {
    snapshot = new Snapshot(state, since, nextAttempt, lastSuccess, lastErrorAt, lastErrorStatus, lastError);
  }
}
