package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
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
 * kill -9 of pyrogate while it ingests and delivers, then a restart on the same storage: every
 * acknowledged profile arrives, duplicates stay within one delivery window, and profiles pushed
 * after the restart are delivered within seconds of it.
 */
final class Kill9UnderLoad implements Scenario {
  /** Most records an endpoint has in flight (its window), so the most a crash may deliver twice. */
  static final int WINDOW_RECORDS = 256;

  /** How soon after the restart's readiness the first delivery must come. */
  static final Duration RESUME_BOUND = Duration.ofSeconds(15);

  @Override
  public String name() {
    return "kill9-under-load";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(3000, 400);
    int rate = h.settings().pick(100, 50);
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad before = h.load(g.ingestPort(), HttpLoad.pushes("rel-kill9", "k9", count), rate);
    Harness.until(Duration.ofSeconds(60), () -> before.acknowledged().size() >= count / 3);
    g.process().kill9();
    g.startReady();
    long ready = System.nanoTime();
    before.await(Duration.ofSeconds(60));
    HttpLoad after =
        h.load(g.ingestPort(), HttpLoad.pushes("rel-kill9", "k9-after", count / 2), rate);
    after.await(Duration.ofSeconds(120));
    Harness.until(Duration.ofSeconds(90), () -> a.firstDeliveryOf(after.acknowledged()) != 0);
    long first = a.firstDeliveryOf(after.acknowledged());
    long resumedMillis = (first - ready) / 1_000_000;
    Set<String> acknowledged = Harness.acknowledged(before, after);
    h.awaitSettled(acknowledged, List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(acknowledged, List.of(a), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                c.duplicates() <= WINDOW_RECORDS,
                c.duplicates() + " duplicates, more than one window (" + WINDOW_RECORDS + ")")
            .promise(
                first != 0 && resumedMillis <= RESUME_BOUND.toMillis(),
                "delivery resumed "
                    + (first == 0 ? "not within 90 s" : resumedMillis + " ms")
                    + " after the restart was ready, for profiles pushed after it (promise: within "
                    + RESUME_BOUND.toSeconds()
                    + " s)")
            .note(
                "answers before the restart: " + before.byStatus() + "; after: " + after.byStatus())
            .note(
                "first delivery of a profile pushed after the restart "
                    + resumedMillis
                    + " ms after the restarted process was ready");
    return h.result(
        count + " pushes at " + rate + "/s, kill -9 at 1/3, restart, " + count / 2 + " more",
        c,
        v,
        "nothing lost, "
            + c.duplicates()
            + " duplicates, delivery resumed "
            + resumedMillis
            + " ms after restart");
  }
}
