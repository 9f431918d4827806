package io.pyrogate.reliability;

import io.pyrogate.reliability.scenarios.Scenarios;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reliability suite and writes its report; exits 1 when a scenario FAILs.
 *
 * <pre>
 * ReliabilityRun --jar gateway/target/pyrogate.jar [--work reliability/target/runs] [--report docs/RELIABILITY.md]
 *                [--quick] [--only NAME,...] [--outage-seconds S] [--java-opts "..."] [--command "scripts/reliability ..."]
 * </pre>
 */
public final class ReliabilityRun {
  private ReliabilityRun() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of("gateway/target/pyrogate.jar");
    Path work = Path.of("reliability/target/runs");
    Path report = Path.of("docs/RELIABILITY.md");
    boolean quick = false;
    Set<String> only = Set.of();
    Duration outage = null;
    List<String> javaOpts = List.of();
    String command = "scripts/reliability";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jar" -> jar = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        case "--quick" -> quick = true;
        case "--only" -> only = Set.of(args[++i].split(","));
        case "--outage-seconds" -> outage = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--java-opts" -> {
          String opts = args[++i].trim();
          javaOpts = opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
        }
        case "--command" -> command = args[++i];
        default ->
            throw new IllegalArgumentException(
                "unknown argument " + args[i] + "; see " + Arrays.toString(args));
      }
    }
    if (outage == null) {
      outage = quick ? Settings.QUICK_LONG_OUTAGE : Settings.FULL_LONG_OUTAGE;
    }
    Settings settings =
        new Settings(jar.toAbsolutePath(), work.toAbsolutePath(), quick, outage, javaOpts);
    long t0 = System.nanoTime();
    List<Result> results = run(settings, only);
    ReliabilityReport.write(
        report, results, command, quick, (System.nanoTime() - t0) / 1_000_000_000L);
    boolean failed = results.stream().anyMatch(r -> r.status() == Status.FAIL);
    System.err.println("reliability: report in " + report + (failed ? "; FAILED" : ""));
    System.exit(failed ? 1 : 0);
  }

  /** Runs the scenarios named in {@code only} (all when empty), one after the other. */
  public static List<Result> run(Settings settings, Set<String> only) {
    List<Scenario> scenarios =
        Scenarios.all().stream().filter(s -> only.isEmpty() || only.contains(s.name())).toList();
    Set<String> known = Scenarios.names();
    for (String name : only) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown scenario " + name + "; known: " + known);
      }
    }
    List<Result> results = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      for (Scenario s : scenarios) {
        System.err.println("reliability: " + s.name() + " ...");
        long t0 = System.nanoTime();
        Result r;
        try (Harness h = new Harness(settings, vertx, s.name())) {
          r = s.run(h);
        } catch (Exception | AssertionError e) {
          r = Result.failed(s.name(), "the scenario could not run: " + e);
          e.printStackTrace();
        }
        System.err.printf(
            "reliability: %s %s in %d s: %s%n",
            s.name(), r.status(), (System.nanoTime() - t0) / 1_000_000_000L, r.reason());
        results.add(r);
      }
    } finally {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
    return results;
  }
}
