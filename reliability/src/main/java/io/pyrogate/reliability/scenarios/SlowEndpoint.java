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
 * A slow but healthy endpoint: it answers every request 200 after 2 s, within {@code remote_timeout
 * = "3s"}, with {@code max_backoff_retries = 3}. A request that waits for a connection has not been
 * sent, so nothing may be dead-lettered and everything arrives.
 */
final class SlowEndpoint implements Scenario {
  @Override
  public String name() {
    return "slow-endpoint";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(2000, 400);
    int rate = h.settings().pick(100, 50);
    RecordingEndpoint a = h.endpoint("a", true).slow(2000);
    AlloyConfig config =
        h.embeddedConfig().endpoint(a, "remote_timeout = \"3s\"", "max_backoff_retries = 3");
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-slow", "sl", count), rate);
    load.await(Duration.ofSeconds(120));
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(240));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .note("the endpoint got " + a.requests() + " requests, each answered 200 after 2 s")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, endpoint answers after 2 s",
        c,
        v,
        "nothing dead-lettered, everything delivered in " + a.requests() + " requests");
  }
}
