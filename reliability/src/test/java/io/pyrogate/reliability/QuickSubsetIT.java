package io.pyrogate.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The quick subset of {@code scripts/reliability} in {@code scripts/test}: kill -9 under load,
 * SIGTERM under load, a broker kill, a second instance on the same storage path, the hostile
 * corpus, and several instances sharing the work (their split, one killed -9, a rolling restart),
 * against the jar the build just packaged. Its report goes to {@code target/reliability-quick.md},
 * not to docs/.
 */
class QuickSubsetIT {
  static final Set<String> SUBSET =
      Set.of(
          "kill9-under-load",
          "sigterm-under-load",
          "broker-kill",
          "second-instance",
          "hostile-corpus",
          "instances-share",
          "instance-kill9",
          "rolling-restart");

  @Test
  void theQuickSubsetPasses() throws Exception {
    Settings settings =
        new Settings(
            Path.of(System.getProperty("pyrogate.jar")).toAbsolutePath(),
            Path.of("target", "reliability-it").toAbsolutePath(),
            true,
            Settings.QUICK_LONG_OUTAGE,
            List.of());
    long t0 = System.nanoTime();
    List<Result> results = ReliabilityRun.run(settings, SUBSET);
    ReliabilityReport.write(
        Path.of("target", "reliability-quick.md"),
        results,
        "QuickSubsetIT (scripts/reliability --quick --only " + String.join(",", SUBSET) + ")",
        true,
        (System.nanoTime() - t0) / 1_000_000_000L);

    assertEquals(SUBSET.size(), results.size());
    String failed =
        results.stream()
            .filter(r -> r.status() != Status.PASS)
            .map(r -> r.scenario() + " " + r.status() + ": " + r.reason())
            .collect(Collectors.joining("\n"));
    assertTrue(failed.isEmpty(), "see target/reliability-quick.md:\n" + failed);
  }
}
