package io.pyrogate.reliability.scenarios;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.Counts;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.RecordingEndpoint;
import io.pyrogate.reliability.Result;
import io.pyrogate.reliability.Scenario;
import io.pyrogate.reliability.Verdict;

/**
 * kill -9 of pyrogate while it ingests and delivers, then a restart on the same storage: every acknowledged profile
 * arrives, duplicates stay within one delivery window, and delivery resumes within seconds of the restart.
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
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-kill9", "k9", count), rate);
    Harness.until(Duration.ofSeconds(60), () -> load.acknowledged().size() >= count / 3);
    g.process().kill9();
    a.resetFirstDelivery();
    g.startReady();
    long ready = System.nanoTime();
    load.await(Duration.ofSeconds(120));
    Harness.until(Duration.ofSeconds(90), () -> a.firstDeliveryNanos() != 0);
    long resumedMillis = a.firstDeliveryNanos() == 0 ? -1 : (a.firstDeliveryNanos() - ready) / 1_000_000;
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    Verdict v = new Verdict().noLoss(c)
        .promise(c.duplicates() <= WINDOW_RECORDS, c.duplicates() + " duplicates, more than one window (" + WINDOW_RECORDS + ")")
        .promise(resumedMillis >= 0 && resumedMillis <= RESUME_BOUND.toMillis(), "delivery resumed "
            + (resumedMillis < 0 ? "not within 90 s" : resumedMillis + " ms") + " after the restart was ready (promise: within "
            + RESUME_BOUND.toSeconds() + " s)")
        .note("answers: " + load.byStatus())
        .note("first delivery " + resumedMillis + " ms after the restarted process was ready");
    return h.result(count + " pushes at " + rate + "/s, kill -9 at 1/3", c, v,
        "nothing lost, " + c.duplicates() + " duplicates, delivery resumed " + resumedMillis + " ms after restart");
  }
}
