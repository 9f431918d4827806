package io.pyrogate.delivery;

import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Whether an endpoint is serving, as a state machine fed with the outcome of every attempt, so that
 * an endpoint being down is never counted as a record's failure.
 *
 * <ul>
 *   <li>{@link State#DELIVERING}: no failure since the endpoint last answered.
 *   <li>{@link State#BACKING_OFF}: some requests failed and are retried on their own, but the
 *       endpoint is not known to be down.
 *   <li>{@link State#OUTAGE}: {@value #OUTAGE_AFTER} requests in a row, all sent after the endpoint
 *       last answered, failed in a way worth retrying (no answer, timeout, 5xx, 429). The endpoint
 *       is then probed one request at a time; the wait between probes grows from {@code
 *       min_backoff_period} to {@code max_backoff_period} with each probe that fails, or is what
 *       the endpoint's Retry-After asks (capped at the max).
 * </ul>
 *
 * <p>The endpoint <em>answers</em> when it accepts a request (2xx) or refuses one for good (a 4xx
 * not retried): it is up. A failed request is at fault itself only when the endpoint answered a
 * request sent after it was sent, and the endpoint is not in outage ({@link #ownFailure}); only
 * such a failure spends a record's retry budget, and it counts toward no outage. Fed from the
 * endpoint's event loop; {@link #snapshot()} may be read from any thread. Ordering and waits use an
 * injected monotonic clock, so a step of the wall clock changes no decision; the wall clock (epoch
 * milliseconds) only dates what the snapshot shows.
 */
public final class EndpointHealth {
  /** Failed requests in a row, sent after the last answer, that make an outage. */
  static final int OUTAGE_AFTER = 3;

  /** What the endpoint is doing; {@link #label()} is the metric label. */
  public enum State {
    DELIVERING,
    BACKING_OFF,
    OUTAGE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The state as the status page and the metrics show it. Times are epoch milliseconds, 0 when
   * there is none.
   *
   * @param sinceMillis when the endpoint entered this state
   * @param nextAttemptMillis in outage the next probe; backing off the next retry known; 0 when
   *     delivering
   * @param lastErrorStatus HTTP status of the last failure, 0 when it had no answer
   * @param lastError what the last failure was, null before the first
   */
  public record Snapshot(
      State state,
      long sinceMillis,
      long nextAttemptMillis,
      long lastSuccessMillis,
      long lastErrorMillis,
      int lastErrorStatus,
      String lastError) {}

  private final RetryPolicy policy;
  private final LongSupplier monotonic;
  private final LongSupplier wall;
  private State state = State.DELIVERING;

  /** When the state was entered, monotonic. */
  private long since;

  private long sinceWall;

  /**
   * The latest send time (monotonic) of a request the endpoint answered: requests sent before
   * failed on their own.
   */
  private long lastAnsweredSentAt = Long.MIN_VALUE;

  /**
   * When the latest outage began, monotonic: failures of requests sent before it may be the
   * outage's.
   */
  private long outageBegan = Long.MIN_VALUE;

  private long lastSuccess;
  private int failuresInARow;
  private int probesFailed;

  /** Monotonic, 0 when none. */
  private long nextAttempt;

  private long lastErrorAt;
  private int lastErrorStatus;
  private String lastError;
  private volatile Snapshot snapshot;

  /**
   * @param policy the endpoint's backoff (its budget is not used here)
   * @param monotonic a monotonic time in milliseconds, for ordering and waits
   * @param wall the current time in epoch milliseconds, for display
   */
  EndpointHealth(RetryPolicy policy, LongSupplier monotonic, LongSupplier wall) {
    this.policy = policy;
    this.monotonic = monotonic;
    this.wall = wall;
    this.since = monotonic.getAsLong();
    this.sinceWall = wall.getAsLong();
    publish();
  }

  /**
   * A request sent at {@code sentAt} (monotonic) was accepted (2xx). Returns true when this ends an
   * outage.
   */
  boolean delivered(long sentAt) {
    lastSuccess = wall.getAsLong();
    return answered(sentAt);
  }

  /**
   * A request sent at {@code sentAt} (monotonic) was refused for good: the endpoint is up, the
   * request is at fault. Returns true when this ends an outage.
   */
  boolean refused(RetryPolicy.Failure f, long sentAt) {
    error(f);
    return answered(sentAt);
  }

  private boolean answered(long sentAt) {
    boolean recovered = state == State.OUTAGE;
    lastAnsweredSentAt = Math.max(lastAnsweredSentAt, sentAt);
    failuresInARow = 0;
    probesFailed = 0;
    nextAttempt = 0;
    enter(State.DELIVERING);
    return recovered;
  }

  /**
   * A failure worth retrying of a request sent at {@code sentAt} (monotonic). Returns true when
   * this starts an outage. A request sent before one the endpoint answered failed on its own
   * ({@link #ownFailure}): it counts toward no outage.
   */
  boolean failed(RetryPolicy.Failure f, long sentAt) {
    long now = monotonic.getAsLong();
    error(f);
    if (state == State.OUTAGE) {
      if (sentAt >= since) { // a probe; requests sent before the outage began say nothing new
        probesFailed++;
        nextAttempt = now + delay(f);
      }
      publish();
      return false;
    }
    if (sentAt < lastAnsweredSentAt) {
      enter(State.BACKING_OFF);
      return false;
    }
    if (++failuresInARow < OUTAGE_AFTER) {
      enter(State.BACKING_OFF);
      return false;
    }
    probesFailed = 1;
    nextAttempt = now + delay(f);
    outageBegan = now;
    enter(State.OUTAGE);
    return true;
  }

  /**
   * Whether the failure of a request sent at {@code sentAt} (monotonic) is the request's own, so it
   * spends the request's retry budget: the endpoint answered a request sent after it, is not in
   * outage, and no outage began since it was sent (the failure may have been the outage's). The
   * answer may come only after the failure, so a failure not known as its own yet may be asked
   * about again later.
   */
  boolean ownFailure(long sentAt) {
    return state != State.OUTAGE && sentAt < lastAnsweredSentAt && sentAt > outageBegan;
  }

  private long delay(RetryPolicy.Failure f) {
    return policy.delay(f, probesFailed, Instant.ofEpochMilli(wall.getAsLong())).toMillis();
  }

  boolean inOutage() {
    return state == State.OUTAGE;
  }

  /** In outage, when the next probe may go (monotonic). */
  long nextAttemptMillis() {
    return nextAttempt;
  }

  /**
   * Backing off, a request's retry is due at {@code millis} (monotonic); the earliest one still
   * ahead is shown.
   */
  void retryAt(long millis) {
    if (state == State.BACKING_OFF
        && (nextAttempt <= monotonic.getAsLong() || millis < nextAttempt)) {
      nextAttempt = millis;
      publish();
    }
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  private void error(RetryPolicy.Failure f) {
    lastErrorAt = wall.getAsLong();
    lastErrorStatus = f.status();
    lastError = f.reason();
  }

  private void enter(State next) {
    if (state != next) {
      state = next;
      since = monotonic.getAsLong();
      sinceWall = wall.getAsLong();
    }
    publish();
  }

  /**
   * Shows the state with wall-clock times: the next attempt as the wall clock's now plus the wait
   * left.
   */
  private void publish() {
    long nextAttemptWall =
        nextAttempt == 0 ? 0 : wall.getAsLong() + (nextAttempt - monotonic.getAsLong());
    snapshot =
        new Snapshot(
            state,
            sinceWall,
            nextAttemptWall,
            lastSuccess,
            lastErrorAt,
            lastErrorStatus,
            lastError);
  }
}
