package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.BrokerProcess;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rolling restart of the instances sharing the work (three, two in a quick run), under a load
 * spread over all of them (a request that finds one down goes to the next): one at a time, SIGTERM,
 * wait until it exited, start it again, wait until it is ready and holds partitions again, next.
 * Each stop exits 143 within the grace period, and every acknowledged profile arrives.
 */
final class RollingRestart implements Scenario {
  @Override
  public String name() {
    return "rolling-restart";
  }

  @Override
  public Result run(Harness h) {
    int n = h.settings().pick(3, 2);
    int rate = h.settings().pick(100, 20);
    // Enough for the whole restart, which stops the load once done: 3 minutes at the most.
    int count = rate * 180;
    BrokerProcess broker = h.broker();
    RecordingEndpoint a = h.endpoint("a", true);
    List<GatewayProcess> instances =
        h.instances("pyrogate", n, SharedWork.config(broker.bootstrap(), a));
    List<Integer> splitBefore = SharedWork.awaitSplit(instances, InstancesShare.SPLIT_BOUND);
    HttpLoad load =
        h.load(
            Harness.ingestPorts(instances),
            SharedWork.pushes("roll", count),
            rate,
            SharedWork.RETRY_FOR);
    Harness.until(Duration.ofSeconds(60), () -> load.acknowledged().size() >= rate * 3);

    List<String> stops = new ArrayList<>();
    boolean cleanStops = true;
    boolean rejoined = true;
    for (GatewayProcess g : instances) {
      ChildProcess.Stop stop = g.process().sigterm(Duration.ofSeconds(60));
      g.startReady();
      rejoined &= Harness.until(InstancesShare.SPLIT_BOUND, () -> g.assignedPartitions() > 0);
      stops.add("exit " + stop.exitCode() + " in " + stop.millis() + " ms");
      cleanStops &=
          stop.exitCode() == 143 && stop.millis() <= SigtermUnderLoad.STOP_BOUND.toMillis();
    }
    List<Integer> splitAfter = SharedWork.awaitSplit(instances, InstancesShare.SPLIT_BOUND);
    // A little more load on the restarted instances, then the rest is not sent.
    long target = load.acknowledged().size() + rate * 3L;
    Harness.until(Duration.ofSeconds(30), () -> load.acknowledged().size() >= target);
    load.stop();
    load.await(Duration.ofSeconds(60));
    h.awaitSettled(load.acknowledged(), List.of(a), broker.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(load.acknowledged(), List.of(a), broker.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                cleanStops,
                "not every stop exited 143 within "
                    + SigtermUnderLoad.STOP_BOUND.toSeconds()
                    + " s: "
                    + stops)
            .promise(
                rejoined,
                "not every restarted instance held partitions again within "
                    + InstancesShare.SPLIT_BOUND.toSeconds()
                    + " s")
            .note("stops one after the other: " + String.join("; ", stops))
            .note("partitions per instance before " + splitBefore + ", after " + splitAfter)
            .note("answers: " + load.byStatus());
    return h.result(
        load.answers().size()
            + " pushes at "
            + rate
            + "/s over "
            + n
            + " instances, each restarted in turn",
        c,
        v,
        "nothing lost, "
            + c.duplicates()
            + " duplicates, stops "
            + String.join("; ", stops)
            + ", partitions "
            + splitBefore
            + " → "
            + splitAfter);
  }
}
