package io.pyrogate.reliability.scenarios;

import io.pyrogate.bench.Ports;
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
import java.util.List;
import java.util.Set;

/**
 * kill -9 of the Kafka broker (a standalone broker process, pyrogate on {@code bootstrap_servers})
 * under load, then the broker restarted over its data: while it is down ingest never answers 200
 * and answers 503 within its documented bound instead of timing out; afterwards pyrogate recovers
 * by itself and nothing acknowledged is lost.
 */
final class BrokerKill implements Scenario {
  /** README: 503 when Kafka did not acknowledge within 10 s; 2 s of margin for a busy machine. */
  static final Duration ANSWER_BOUND = Duration.ofSeconds(12);

  @Override
  public String name() {
    return "broker-kill";
  }

  @Override
  public Result run(Harness h) {
    int outageSeconds = h.settings().pick(30, 15);
    int rate = h.settings().pick(50, 25);
    int count = rate * (outageSeconds + 30);
    BrokerProcess broker = h.broker();
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = AlloyConfig.external(Ports.free(), broker.bootstrap()).endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-broker", "bk", count), rate);
    Harness.until(Duration.ofSeconds(30), () -> load.acknowledged().size() >= rate * 5);
    broker.kill9();
    long down = System.nanoTime();
    Harness.hold(Duration.ofSeconds(outageSeconds));
    long back = System.nanoTime();
    broker.startReady();
    boolean recovered = Harness.until(Duration.ofSeconds(90), g::ready);
    long recoveredMillis = (System.nanoTime() - back) / 1_000_000;
    load.await(Duration.ofSeconds(180));
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(120));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());

    long okWhileDown = 0;
    long slow = 0;
    long duringOutage = 0;
    for (HttpLoad.Answer ans : load.answers()) {
      if (ans.sentNanos() > down && ans.sentNanos() < back) {
        duringOutage++;
        if (ans.acknowledged() && ans.answeredNanos() < back) {
          okWhileDown++;
        }
        if (ans.status() < 0 || ans.millis() > ANSWER_BOUND.toMillis()) {
          slow++;
        }
      }
    }
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                okWhileDown == 0,
                okWhileDown + " request(s) sent while the broker was down answered 200")
            .promise(
                slow == 0,
                slow
                    + " of "
                    + duringOutage
                    + " request(s) sent while the broker was down got no answer within "
                    + ANSWER_BOUND.toSeconds()
                    + " s")
            .promise(recovered, "not ready within 90 s of the broker's restart")
            .note(
                "broker down for "
                    + outageSeconds
                    + " s; "
                    + duringOutage
                    + " requests sent meanwhile")
            .note("ready again " + recoveredMillis + " ms after the broker's restart began")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, broker kill -9 for " + outageSeconds + " s",
        c,
        v,
        "no 200 while down, every answer within "
            + ANSWER_BOUND.toSeconds()
            + " s, nothing lost, ready "
            + recoveredMillis
            + " ms after the broker's restart");
  }
}
