package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.ChildProcess;
import io.pyrogate.reliability.Counts;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.Profiles;
import io.pyrogate.reliability.RecordingEndpoint;
import io.pyrogate.reliability.Result;
import io.pyrogate.reliability.Scenario;
import io.pyrogate.reliability.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The storage path on a small tmpfs (64 MiB) filled by large profiles: ingest answers 503 (never
 * 200 for what it cannot store), then the file system is grown (remount) and pyrogate recovers by
 * itself within 60 s, without a restart: ready again and acknowledging. Nothing acknowledged is
 * lost, and SIGTERM still stops it within 30 s. SKIPPED when {@code mount} is not allowed (not
 * root, or no CAP_SYS_ADMIN in a container).
 */
final class DiskFull implements Scenario {
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
  static final Duration STOP_BOUND = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "disk-full";
  }

  @Override
  public Result run(Harness h) throws Exception {
    Path storage = h.dir().resolve("tmpfs");
    Files.createDirectories(storage);
    String mounted = run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", storage.toString());
    if (mounted != null) {
      return Result.skipped(name(), "cannot mount a tmpfs as storage path: " + mounted);
    }
    h.atEnd(() -> run("umount", "-l", storage.toString()));
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config, storage.resolve("data"), "info").startReady();
    byte[] big = Profiles.pprof(128 * 1024);
    int count = 1200;
    List<HttpLoad.Request> fill = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      fill.add(HttpLoad.push("df-" + i, Profiles.push("rel-disk-full", "df-" + i, big)));
    }
    HttpLoad load = h.load(g.ingestPort(), fill, 20);
    boolean full =
        Harness.until(
            Duration.ofSeconds(90),
            () -> load.answers().stream().filter(x -> x.status() == 503).count() >= 5);
    load.stop();
    load.await(Duration.ofSeconds(60));
    long okWhileFull =
        load.answers().stream().filter(x -> x.status() / 100 == 5 && x.status() != 503).count();
    String grown = run("mount", "-o", "remount,size=1024m", storage.toString());
    long t0 = System.nanoTime();
    boolean ready = grown == null && Harness.until(RECOVERY_BOUND, g::ready);
    long readyMillis = (System.nanoTime() - t0) / 1_000_000;
    HttpLoad after = h.load(g.ingestPort(), HttpLoad.pushes("rel-disk-full", "df-after", 100), 10);
    after.await(Duration.ofSeconds(60));
    long acceptedAfter = after.acknowledged().size();
    Set<String> acknowledged = new HashSet<>(load.acknowledged());
    acknowledged.addAll(after.acknowledged());
    h.awaitSettled(acknowledged, List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(acknowledged, List.of(a), config.bootstrap(), Set.of());
    ChildProcess.Stop stop = g.process().sigterm(Duration.ofSeconds(120));
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(full, "the disk never filled (no 503 within 90 s): " + load.byStatus())
            .promise(
                okWhileFull == 0,
                okWhileFull + " answers were 5xx other than 503 while the disk was full")
            .promise(grown == null, "could not grow the tmpfs: " + grown)
            .promise(
                ready,
                "not ready within " + RECOVERY_BOUND.toSeconds() + " s of the space returning")
            .promise(
                acceptedAfter == 100,
                "after the space returned, "
                    + acceptedAfter
                    + " of 100 pushes acknowledged: "
                    + after.byStatus())
            .promise(
                stop.exitCode() == 143 && stop.millis() <= STOP_BOUND.toMillis(),
                "SIGTERM after the full disk: exit "
                    + stop.exitCode()
                    + " in "
                    + stop.millis()
                    + " ms (promise: 143 within "
                    + STOP_BOUND.toSeconds()
                    + " s)")
            .note("while filling: " + load.byStatus() + "; after growing: " + after.byStatus())
            .note(
                "ready "
                    + readyMillis
                    + " ms after the tmpfs grew; stopped in "
                    + stop.millis()
                    + " ms, exit "
                    + stop.exitCode());
    return h.result(
        load.answers().size()
            + " pushes of 128 KiB at 20/s into a 64 MiB tmpfs, then 100 after growing it",
        c,
        v,
        "503 when full, ready again " + readyMillis + " ms after the space returned, nothing lost");
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", cmd) + " timed out";
    }
    return p.exitValue() == 0
        ? null
        : String.join(" ", cmd) + ": exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
  }
}
