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
 * The endpoint down for longer than the consumer's {@code max.poll.interval.ms}, with Alloy's
 * default retry settings ({@code max_backoff_retries = 10}, {@code min_backoff_period = 500ms}):
 * nothing is dead-lettered, and once the endpoint is back each profile arrives exactly once. The
 * full run keeps Kafka's default of 5 minutes and an outage of {@link
 * io.pyrogate.reliability.Settings#FULL_LONG_OUTAGE}; the quick run sets {@code
 * max.poll.interval.ms} to 10 s and {@code max_backoff_period} to 1 s, so that the ten attempts and
 * the poll interval both pass within its outage.
 */
final class EndpointDownLong implements Scenario {
  @Override
  public String name() {
    return "endpoint-down-long";
  }

  @Override
  public Result run(Harness h) {
    Duration outage = h.settings().longOutage();
    int count = h.settings().pick(300, 100);
    int rate = 20;
    RecordingEndpoint a = h.endpoint("a", false);
    AlloyConfig config = h.embeddedConfig();
    String settings;
    Duration maxBackoff;
    if (h.settings().quick()) {
      maxBackoff = Duration.ofSeconds(1);
      config
          .kafka("consumer = { \"max.poll.interval.ms\" = \"10000\" }")
          .endpoint(a, "max_backoff_period = \"1s\"");
      settings =
          "max.poll.interval.ms 10 s, max_backoff_period 1s, other retry settings Alloy's defaults";
    } else {
      maxBackoff = Duration.ofMinutes(5); // Alloy's default max_backoff_period
      config.endpoint(a);
      settings =
          "Kafka's and Alloy's defaults (max.poll.interval.ms 5 min, 10 retries, 500ms..5m backoff)";
    }
    GatewayProcess g = h.gateway("pyrogate", config);
    long t0 = System.nanoTime();
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-down-long", "dl", count), rate);
    load.await(Duration.ofSeconds(60));
    Harness.until(outage.minusNanos(System.nanoTime() - t0), () -> !g.process().alive());
    a.up();
    // In an outage the endpoint is probed with a backoff growing to max_backoff_period: the probe
    // that finds it back
    // may come that long after it is up, and then everything waiting goes out.
    long upAt = System.nanoTime();
    h.awaitSettled(
        load.acknowledged(), List.of(a), config.bootstrap(), maxBackoff.plusSeconds(120));
    long deliveredAfter = (System.nanoTime() - upAt) / 1_000_000_000L;
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    String log = g.process().output();
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                c.duplicates() == 0, c.duplicates() + " duplicate deliveries without any crash")
            .promise(g.process().alive(), "pyrogate exited during the outage")
            .note(
                "settings: "
                    + settings
                    + "; endpoint down "
                    + outage.toSeconds()
                    + " s; settled "
                    + deliveredAfter
                    + " s after it was up (the next probe is at most max_backoff_period away)")
            .note(
                "log says the consumer left its group (poll timeout): "
                    + log.contains("consumer poll timeout has expired"))
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at " + rate + "/s, endpoint down " + outage.toSeconds() + " s",
        c,
        v,
        "nothing dead-lettered, each profile delivered once after "
            + outage.toSeconds()
            + " s down");
  }
}
