package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.BrokerProcess;
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
 * kill -9 of one of three instances sharing the work, under a load spread over all three (a request
 * that finds the killed one down goes to the next, as behind a load balancer): the two left take
 * over its partitions within the bound, finish the load, and every acknowledged profile arrives,
 * with at most one window of duplicates.
 */
final class InstanceKill9 implements Scenario {
  /** README: a killed instance's partitions move within about 10 s; margin for a busy machine. */
  static final Duration TAKEOVER_BOUND = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "instance-kill9";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(3000, 400);
    int rate = h.settings().pick(100, 40);
    BrokerProcess broker = h.broker();
    RecordingEndpoint a = h.endpoint("a", true);
    List<GatewayProcess> instances =
        h.instances("pyrogate", 3, SharedWork.config(broker.bootstrap(), a));
    List<Integer> splitBefore = SharedWork.awaitSplit(instances, InstancesShare.SPLIT_BOUND);
    HttpLoad load =
        h.load(
            Harness.ingestPorts(instances),
            SharedWork.pushes("kill", count),
            rate,
            SharedWork.RETRY_FOR);
    Harness.until(Duration.ofSeconds(60), () -> load.acknowledged().size() >= count / 3);

    GatewayProcess killed = instances.get(0);
    int held = killed.assignedPartitions();
    killed.process().kill9();
    long kill = System.nanoTime();
    List<GatewayProcess> survivors = instances.subList(1, 3);
    boolean takenOver =
        Harness.until(
            TAKEOVER_BOUND,
            () ->
                SharedWork.split(survivors).stream().mapToInt(Integer::intValue).sum()
                    == SharedWork.PARTITIONS);
    long takeoverMillis = (System.nanoTime() - kill) / 1_000_000;
    List<Integer> splitAfter = SharedWork.split(survivors);

    load.await(Duration.ofSeconds(120));
    h.awaitSettled(load.acknowledged(), List.of(a), broker.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(load.acknowledged(), List.of(a), broker.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                takenOver,
                "the two instances left held "
                    + splitAfter
                    + " of "
                    + SharedWork.PARTITIONS
                    + " partitions "
                    + TAKEOVER_BOUND.toSeconds()
                    + " s after the kill")
            .promise(
                c.duplicates() <= Kill9UnderLoad.WINDOW_RECORDS,
                c.duplicates()
                    + " duplicates, more than one window ("
                    + Kill9UnderLoad.WINDOW_RECORDS
                    + ")")
            .note(
                "partitions per instance before the kill "
                    + splitBefore
                    + " (the killed one held "
                    + held
                    + "), after "
                    + splitAfter)
            .note(
                "its partitions were taken over "
                    + (takenOver ? takeoverMillis + " ms" : "not within the bound")
                    + " after the kill")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s over 3 instances, one killed -9 at 1/3",
        c,
        v,
        "partitions "
            + splitBefore
            + " → "
            + splitAfter
            + " "
            + takeoverMillis
            + " ms after the kill, nothing lost, "
            + c.duplicates()
            + " duplicates");
  }
}
