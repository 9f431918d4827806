package io.pyrogate.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, as Alloy's pyroscope.write does it (dskit): the n-th wait is random in
 * [min·2^(n-1), min·2^n), capped at max. The random source is injected so tests can check exact delays.
 */
record Backoff(Duration min, Duration max, DoubleSupplier random) {
  Backoff {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= min <= max, got min=" + min + " max=" + max);
    }
  }

  /** @param retry 1 for the first retry */
  Duration delay(int retry) {
    long minMs = min.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(retry - 1, 40);
    long low = Math.min(maxMs, minMs << shift);
    long high = Math.min(maxMs, minMs << (shift + 1));
    if (low >= high) {
      return Duration.ofMillis(low);
    }
    return Duration.ofMillis(low + (long) (random.getAsDouble() * (high - low)));
  }
}
