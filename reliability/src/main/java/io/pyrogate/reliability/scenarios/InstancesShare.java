package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Two instances with one configuration on one broker, started together, then a third: the
 * endpoint's partitions are split over all of them, each delivers a share of the profiles (its own
 * {@code pyroscope_write_sent_profiles_total}), and every acknowledged profile arrives.
 */
final class InstancesShare implements Scenario {
  /** How long a rebalance may take to give every instance its partitions. */
  static final Duration SPLIT_BOUND = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "instances-share";
  }

  @Override
  public Result run(Harness h) {
    int count = h.settings().pick(1000, 200);
    int rate = h.settings().pick(100, 50);
    BrokerProcess broker = h.broker();
    RecordingEndpoint a = h.endpoint("a", true);
    IntFunction<AlloyConfig> config = SharedWork.config(broker.bootstrap(), a);

    List<GatewayProcess> instances = new ArrayList<>(h.instances("pyrogate", 2, config));
    List<Integer> splitOfTwo = SharedWork.awaitSplit(instances, SPLIT_BOUND);
    HttpLoad two =
        h.load(
            Harness.ingestPorts(instances),
            SharedWork.pushes("share2", count),
            rate,
            SharedWork.RETRY_FOR);
    two.await(Duration.ofSeconds(120));
    h.awaitSettled(two.acknowledged(), List.of(a), broker.bootstrap(), Duration.ofSeconds(90));
    List<Long> sentByTwo = SharedWork.sent(instances);

    instances.add(h.instance("pyrogate-3", config).startReady());
    List<Integer> splitOfThree = SharedWork.awaitSplit(instances, SPLIT_BOUND);
    List<Long> before = new ArrayList<>(sentByTwo);
    before.add(0L);
    HttpLoad three =
        h.load(
            Harness.ingestPorts(instances),
            SharedWork.pushes("share3", count),
            rate,
            SharedWork.RETRY_FOR);
    three.await(Duration.ofSeconds(120));
    Set<String> acknowledged = Harness.acknowledged(two, three);
    h.awaitSettled(acknowledged, List.of(a), broker.bootstrap(), Duration.ofSeconds(90));
    List<Long> sentByThree = new ArrayList<>();
    List<Long> now = SharedWork.sent(instances);
    for (int i = 0; i < now.size(); i++) {
      sentByThree.add(now.get(i) - before.get(i));
    }
    Counts c = h.counts(acknowledged, List.of(a), broker.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                splitOfTwo.stream().allMatch(n -> n > 0),
                "with 2 instances the partitions were split " + splitOfTwo)
            .promise(
                splitOfThree.stream().allMatch(n -> n > 0),
                "with 3 instances the partitions were split " + splitOfThree)
            .promise(
                sentByTwo.stream().allMatch(n -> n > 0),
                "with 2 instances, profiles delivered by each: " + sentByTwo)
            .promise(
                sentByThree.stream().allMatch(n -> n > 0),
                "with 3 instances, profiles delivered by each: " + sentByThree)
            .note("partitions per instance: 2 instances " + splitOfTwo + ", 3 " + splitOfThree)
            .note(
                "profiles delivered per instance: 2 instances "
                    + sentByTwo
                    + ", then 3 "
                    + sentByThree)
            .note("answers: 2 instances " + two.byStatus() + ", 3 " + three.byStatus());
    return h.result(
        count
            + " pushes at "
            + rate
            + "/s over 2 instances started together, "
            + count
            + " more over 3",
        c,
        v,
        "partitions split "
            + splitOfTwo
            + " then "
            + splitOfThree
            + ", delivered per instance "
            + sentByTwo
            + " then "
            + sentByThree
            + ", nothing lost");
  }
}
