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
 * A 429 storm: the endpoint answers everything 429 with {@code Retry-After: 1} for a while, then
 * 200. Nothing is dead-lettered, everything arrives, and no profile is tried again sooner than the
 * endpoint asked (900 ms allows for timer granularity).
 */
final class RetryAfterStorm implements Scenario {
  static final long MIN_GAP_MILLIS = 900;

  @Override
  public String name() {
    return "retry-after-storm";
  }

  @Override
  public Result run(Harness h) {
    int stormSeconds = h.settings().pick(60, 20);
    int count = h.settings().pick(1500, 300);
    int rate = h.settings().pick(50, 30);
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    a.throttleFor(stormSeconds * 1000L);
    long stormEnd = System.nanoTime() + stormSeconds * 1_000_000_000L;
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-429", "ra", count), rate);
    load.await(Duration.ofSeconds(120));
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(180));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    long early = 0;
    long minGap = Long.MAX_VALUE;
    for (String id : a.attemptedIds()) {
      List<Long> times = a.attempts(id);
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i - 1) < stormEnd) {
          long gap = (times.get(i) - times.get(i - 1)) / 1_000_000;
          minGap = Math.min(minGap, gap);
          if (gap < MIN_GAP_MILLIS) {
            early++;
          }
        }
      }
    }
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                early == 0,
                early + " retries came sooner than Retry-After: 1 (shortest gap " + minGap + " ms)")
            .note(
                "429 for "
                    + stormSeconds
                    + " s; the endpoint got "
                    + a.requests()
                    + " requests; shortest gap between two attempts of a profile "
                    + (minGap == Long.MAX_VALUE ? "-" : minGap + " ms"))
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, 429 + Retry-After: 1 for " + stormSeconds + " s",
        c,
        v,
        "nothing dead-lettered, Retry-After honoured, everything delivered");
  }
}
