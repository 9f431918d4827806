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
 * kill -9 of pyrogate while its only endpoint is down, then a restart and the endpoint back:
 * everything acknowledged arrives once, nothing is dead-lettered.
 */
final class Kill9EndpointDown implements Scenario {
  @Override
  public String name() {
    return "kill9-endpoint-down";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(1000, 200);
    int rate = h.settings().pick(100, 50);
    RecordingEndpoint a = h.endpoint("a", false);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-kill9-down", "k9d", count), rate);
    load.await(Duration.ofSeconds(120));
    g.process().kill9();
    g.startReady();
    a.up();
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                c.duplicates() == 0,
                c.duplicates() + " duplicates although nothing was delivered before the crash")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, endpoint down, kill -9, restart, endpoint up",
        c,
        v,
        "nothing lost, no duplicates, nothing dead-lettered");
  }
}
