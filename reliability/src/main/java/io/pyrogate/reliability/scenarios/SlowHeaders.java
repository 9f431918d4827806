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
 * With {@code conn_limit = 20} and {@code server_read_timeout = "10s"}, more connections than the
 * limit trickle their headers one byte a second; real clients, which retry a refused connection as
 * SDKs do, must each be answered 200 within the read timeout plus 10 s of their first try.
 */
final class SlowHeaders implements Scenario {
  static final int CONN_LIMIT = 20;
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  static final Duration ANSWER_BOUND = READ_TIMEOUT.plusSeconds(10);

  @Override
  public String name() {
    return "slow-headers";
  }

  @Override
  public Result run(Harness h) throws Exception {
    int count = h.settings().pick(100, 40);
    int rate = 4;
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config =
        h.embeddedConfig()
            .http("conn_limit = " + CONN_LIMIT)
            .http("server_read_timeout = \"" + READ_TIMEOUT.toSeconds() + "s\"")
            .endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load;
    List<Long> closed;
    int stillOpen;
    try (TrickledHeaders trickle = new TrickledHeaders(g.ingestPort(), CONN_LIMIT + 4)) {
      Harness.hold(Duration.ofSeconds(2));
      List<HttpLoad.Request> pushes = HttpLoad.pushes("rel-slow-headers", "sh", count);
      load = HttpLoad.start(g.ingestPort(), pushes, rate, ANSWER_BOUND.plusSeconds(30));
      h.atEnd(load::close);
      load.await(Duration.ofSeconds(180));
      closed = trickle.closedAfterMillis();
      stillOpen = trickle.open();
    }
    long late =
        load.answers().stream()
            .filter(
                x ->
                    !x.acknowledged()
                        || (x.answeredNanos() - x.firstSentNanos()) / 1_000_000
                            > ANSWER_BOUND.toMillis())
            .count();
    long slowest =
        load.answers().stream()
            .mapToLong(x -> (x.answeredNanos() - x.firstSentNanos()) / 1_000_000)
            .max()
            .orElse(-1);
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(60));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                late == 0,
                late
                    + " of "
                    + count
                    + " real requests not answered 200 within "
                    + ANSWER_BOUND.toSeconds()
                    + " s of their first try (slowest "
                    + slowest
                    + " ms)")
            .note(
                (CONN_LIMIT + 4)
                    + " trickling connections; pyrogate closed "
                    + closed.size()
                    + " (after "
                    + closed
                    + " ms); "
                    + stillOpen
                    + " still open when the load ended")
            .note(
                "slowest real request answered "
                    + slowest
                    + " ms after its first try; answers: "
                    + load.byStatus());
    return h.result(
        count
            + " pushes at "
            + rate
            + "/s beside "
            + (CONN_LIMIT + 4)
            + " trickling connections, conn_limit "
            + CONN_LIMIT,
        c,
        v,
        "every real request answered 200 within "
            + ANSWER_BOUND.toSeconds()
            + " s (slowest "
            + slowest
            + " ms)");
  }
}
