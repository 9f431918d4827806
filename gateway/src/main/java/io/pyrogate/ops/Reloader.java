package io.pyrogate.ops;

import io.pyrogate.config.ConfigException;

/**
 * Applies the configuration anew (what {@code POST /-/reload} and SIGHUP do). Blocking: call it
 * from a worker thread, never from an event loop.
 */
@FunctionalInterface
public interface Reloader {
  /**
   * @return a short text of what changed, or "config unchanged"
   * @throws ConfigException when the new configuration is invalid or cannot be applied without a
   *     restart; the running configuration stays as it is
   * @throws Unavailable when pyrogate cannot reload now (starting or stopping)
   */
  String reload() throws ConfigException;

  /** Reloading is not possible at the moment; try again once pyrogate is ready. */
  final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super(message);
    }
  }
}
