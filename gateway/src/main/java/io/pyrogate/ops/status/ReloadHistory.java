package io.pyrogate.ops.status;

import io.pyrogate.config.GatewayConfig;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The configuration in force and the outcome of the last reload, for the status page. Only the
 * first line of a failure is kept: a configuration error's later lines quote the file, and the page
 * does not repeat them (the log and {@code POST /-/reload}'s answer have them, redacted).
 */
public final class ReloadHistory {
  private final LongSupplier clock;
  private volatile GatewayConfig current;
  private volatile long loadedAt;
  private volatile StatusSnapshot.Reload last;

  /**
   * @param clock epoch milliseconds
   */
  public ReloadHistory(LongSupplier clock) {
    this.clock = clock;
  }

  /** pyrogate started with {@code config}. */
  public void started(GatewayConfig config) {
    current = config;
    loadedAt = clock.getAsLong();
  }

  /**
   * Runs a reload to {@code next} and records how it went: on success {@code next} is in force and
   * {@code describe} says what changed; a failure is recorded and thrown on.
   */
  public <T> T record(GatewayConfig next, Supplier<T> reload, Function<T, String> describe) {
    T result;
    try {
      result = reload.get();
    } catch (RuntimeException e) {
      failed(e.getMessage());
      throw e;
    }
    current = next;
    loadedAt = clock.getAsLong();
    last =
        new StatusSnapshot.Reload(
            loadedAt, true, describe.apply(result).strip().replace("\n", "; "));
    return result;
  }

  /** A reload failed before it could be applied (e.g. the file is invalid). */
  public void failed(String reason) {
    last = new StatusSnapshot.Reload(clock.getAsLong(), false, firstLine(reason));
  }

  /** The configuration in force, null before start. */
  GatewayConfig current() {
    return current;
  }

  long loadedAt() {
    return loadedAt;
  }

  /** The last reload, null before the first. */
  StatusSnapshot.Reload last() {
    return last;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String stripped = text.strip();
    int nl = stripped.indexOf('\n');
    return nl < 0 ? stripped : stripped.substring(0, nl) + " …";
  }
}
