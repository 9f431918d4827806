package io.pyrogate.reliability;

import java.util.List;

/**
 * What one scenario found: its load, its counts, the pyrogate processes' largest heap and RSS, its
 * verdict with a one-line reason, and details for the report (answers by class, timings...).
 */
public record Result(
    String scenario,
    String load,
    Counts counts,
    long maxHeapBytes,
    long maxRssBytes,
    Status status,
    String reason,
    List<String> details) {

  public static Result skipped(String scenario, String reason) {
    return new Result(scenario, "-", Counts.NONE, -1, -1, Status.SKIPPED, reason, List.of());
  }

  public static Result failed(String scenario, String reason) {
    return new Result(scenario, "-", Counts.NONE, -1, -1, Status.FAIL, reason, List.of());
  }
}
