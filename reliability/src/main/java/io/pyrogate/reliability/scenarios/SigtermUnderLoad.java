package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.ChildProcess;
import io.pyrogate.reliability.Counts;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.RecordingEndpoint;
import io.pyrogate.reliability.Result;
import io.pyrogate.reliability.Scenario;
import io.pyrogate.reliability.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * SIGTERM while pyrogate ingests and delivers: it exits 143 within Kubernetes' 30 s grace period,
 * and after a restart every acknowledged profile arrives.
 */
final class SigtermUnderLoad implements Scenario {
  /** Kubernetes' default terminationGracePeriodSeconds: a stop that takes longer is killed. */
  static final Duration STOP_BOUND = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "sigterm-under-load";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(3000, 400);
    int rate = h.settings().pick(100, 50);
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad before = h.load(g.ingestPort(), HttpLoad.pushes("rel-sigterm", "st", count), rate);
    Harness.until(Duration.ofSeconds(60), () -> before.acknowledged().size() >= count / 3);
    ChildProcess.Stop stop = g.process().sigterm(Duration.ofSeconds(120));
    g.startReady();
    before.await(Duration.ofSeconds(60));
    HttpLoad after =
        h.load(g.ingestPort(), HttpLoad.pushes("rel-sigterm", "st-after", count / 2), rate);
    after.await(Duration.ofSeconds(120));
    Set<String> acknowledged = Harness.acknowledged(before, after);
    h.awaitSettled(acknowledged, List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(acknowledged, List.of(a), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                stop.exitCode() == 143,
                "exit code " + stop.exitCode() + " after SIGTERM (promise: 143)")
            .promise(
                stop.millis() <= STOP_BOUND.toMillis(),
                "stopping took "
                    + stop.millis()
                    + " ms (promise: within "
                    + STOP_BOUND.toSeconds()
                    + " s)")
            .note("stopped in " + stop.millis() + " ms with exit code " + stop.exitCode())
            .note(
                "answers before the restart: "
                    + before.byStatus()
                    + "; after: "
                    + after.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, SIGTERM at 1/3, restart, " + count / 2 + " more",
        c,
        v,
        "nothing lost, exit 143 in " + stop.millis() + " ms, " + c.duplicates() + " duplicates");
  }
}
