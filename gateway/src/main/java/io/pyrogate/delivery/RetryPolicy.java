package io.pyrogate.delivery;

import io.pyrogate.config.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * When to try a delivery again and how long to wait, as a value: built from an endpoint's
 * arguments, with the random source injected so the maths is deterministic in tests.
 *
 * <p>What is retried: no answer (connection error, timeout), 408, 429 (unless {@code
 * retry_on_http_429 = false}), 5xx, and Connect error codes Alloy retries (deadline_exceeded,
 * unknown, internal, unavailable, data_loss, aborted; resource_exhausted like 429). A code Connect
 * does not define (a proxy's JSON body) is ignored and the HTTP status decides, so a 502 or 503
 * from a proxy stays retried. Any other answer is final. The n-th wait is random in [min·2^(n-1),
 * min·2^n), capped at max, as Alloy's (dskit) backoff; a server's {@code Retry-After} is honoured
 * instead when it asks for longer, still capped at max.
 */
public record RetryPolicy(
    Duration min, Duration max, int maxAttempts, boolean retryOn429, DoubleSupplier random) {
  private static final Set<String> RETRIED_CONNECT_CODES =
      Set.of("deadline_exceeded", "unknown", "internal", "unavailable", "data_loss", "aborted");

  /**
   * The codes Connect defines; a body with any other code (e.g. from a proxy) is classified by its
   * HTTP status.
   */
  private static final Set<String> CONNECT_CODES =
      Set.of(
          "canceled",
          "unknown",
          "invalid_argument",
          "deadline_exceeded",
          "not_found",
          "already_exists",
          "permission_denied",
          "resource_exhausted",
          "failed_precondition",
          "aborted",
          "out_of_range",
          "unimplemented",
          "internal",
          "unavailable",
          "data_loss",
          "unauthenticated");

  public RetryPolicy {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= min <= max, got min=" + min + " max=" + max);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException(
          "maxAttempts must be 0 (forever) or more, got " + maxAttempts);
    }
  }

  static RetryPolicy of(Endpoint e, DoubleSupplier random) {
    return new RetryPolicy(
        e.minBackoff(), e.maxBackoff(), e.maxBackoffRetries(), e.retryOnHttp429(), random);
  }

  /**
   * One failed attempt.
   *
   * @param status HTTP status, 0 when there was no answer
   * @param connectCode the Connect error code of the response body, or null
   * @param retryAfter the Retry-After header, or null
   */
  record Failure(int status, String connectCode, String retryAfter, String reason) {}

  /**
   * What to do after a failure: wait {@code delay} and try again, or give up for {@code reason}.
   */
  record Decision(boolean retry, Duration delay, String reason) {}

  boolean retryable(Failure f) {
    if (f.status() == 0) {
      return true;
    }
    if (f.status() == 429 || "resource_exhausted".equals(f.connectCode())) {
      return retryOn429;
    }
    if (f.connectCode() != null && CONNECT_CODES.contains(f.connectCode())) {
      return RETRIED_CONNECT_CODES.contains(f.connectCode());
    }
    return f.status() == 408 || f.status() >= 500;
  }

  /**
   * @param attempts attempts made so far, including the failed one
   * @param now the current time, for an HTTP-date Retry-After
   */
  Decision decide(Failure f, int attempts, Instant now) {
    if (!retryable(f)) {
      return new Decision(false, Duration.ZERO, f.reason());
    }
    if (maxAttempts > 0 && attempts >= maxAttempts) {
      return new Decision(
          false, Duration.ZERO, "gave up after " + attempts + " attempts: " + f.reason());
    }
    return new Decision(true, delay(f, attempts, now), f.reason());
  }

  /**
   * The wait before trying again after the {@code retry}-th failure in a row: the backoff, or
   * longer when the server's Retry-After asks for it, capped at max.
   */
  Duration delay(Failure f, int retry, Instant now) {
    Duration delay = backoff(retry);
    Duration asked = retryAfter(f.retryAfter(), now);
    if (asked != null && asked.compareTo(delay) > 0) {
      delay = asked.compareTo(max) > 0 ? max : asked;
    }
    return delay;
  }

  /**
   * @param retry 1 for the first retry
   */
  public Duration backoff(int retry) {
    long minMs = min.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(Math.max(retry, 1) - 1, 40);
    long low = Math.min(maxMs, minMs << shift);
    long high = Math.min(maxMs, minMs << (shift + 1));
    if (low >= high) {
      return Duration.ofMillis(low);
    }
    return Duration.ofMillis(low + (long) (random.getAsDouble() * (high - low)));
  }

  /** Retry-After as delay-seconds or an HTTP-date; null when absent or unreadable. */
  static Duration retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
