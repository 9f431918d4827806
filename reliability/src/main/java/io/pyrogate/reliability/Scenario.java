package io.pyrogate.reliability;

/**
 * One fault scenario of the reliability suite: it starts what it needs through the {@link Harness}
 * (pyrogate as a separate process, brokers, receivers, load), brings about its fault, counts and
 * checks its promises.
 */
public interface Scenario {
  /** Short name, used by {@code --only} and in the report. */
  String name();

  /**
   * Runs the scenario; everything it started through {@code h} is stopped by the runner afterwards.
   */
  Result run(Harness h) throws Exception;
}
