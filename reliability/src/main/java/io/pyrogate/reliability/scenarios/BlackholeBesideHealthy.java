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
 * One endpoint blackholed (accepts connections, never answers) beside two healthy ones: the healthy
 * ones keep the ingest rate (at the end of the load each has at least 90 % of what was
 * acknowledged, and everything 10 s later), and the blackholed one has nothing dead-lettered (it is
 * an outage).
 */
final class BlackholeBesideHealthy implements Scenario {
  @Override
  public String name() {
    return "blackhole-beside-healthy";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(3000, 600);
    int rate = h.settings().pick(100, 50);
    RecordingEndpoint a = h.endpoint("a", true);
    RecordingEndpoint b = h.endpoint("b", true);
    RecordingEndpoint hole = h.endpoint("hole", true).behave(RecordingEndpoint.Behaviour.BLACKHOLE);
    AlloyConfig config = h.embeddedConfig().endpoint(a).endpoint(b).endpoint(hole);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-blackhole", "bh", count), rate);
    load.await(Duration.ofSeconds(120));
    int acknowledged = load.acknowledged().size();
    int deliveredA = a.delivered();
    int deliveredB = b.delivered();
    boolean caughtUp =
        h.awaitSettled(
            load.acknowledged(), List.of(a, b), config.bootstrap(), Duration.ofSeconds(10));
    h.awaitSettled(load.acknowledged(), List.of(a, b), config.bootstrap(), Duration.ofSeconds(60));
    Counts c = h.counts(load.acknowledged(), List.of(a, b), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                deliveredA >= 0.9 * acknowledged && deliveredB >= 0.9 * acknowledged,
                "at the end of the load the healthy endpoints had "
                    + deliveredA
                    + " and "
                    + deliveredB
                    + " of "
                    + acknowledged
                    + " acknowledged (promise: 90 %)")
            .promise(
                caughtUp,
                "the healthy endpoints did not have everything within 10 s of the end of the load")
            .note(
                "at the end of the load: a "
                    + deliveredA
                    + ", b "
                    + deliveredB
                    + " of "
                    + acknowledged
                    + " acknowledged; the blackhole got "
                    + hole.requests()
                    + " requests")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, 2 healthy + 1 blackholed endpoint",
        c,
        v,
        "healthy endpoints kept the rate ("
            + deliveredA
            + ", "
            + deliveredB
            + " of "
            + acknowledged
            + " at the end of the load)");
  }
}
