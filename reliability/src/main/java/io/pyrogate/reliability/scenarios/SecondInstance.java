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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A second pyrogate started on the storage path of a running one, several times, under load: each
 * exits within 30 s with a non-zero code and a message about the lock, and the first stays ready,
 * acknowledges every push and delivers everything.
 */
final class SecondInstance implements Scenario {
  static final Duration EXIT_BOUND = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "second-instance";
  }

  @Override
  public Result run(Harness h) {
    int tries = h.settings().pick(3, 2);
    int rate = 20;
    int count = rate * tries * 15;
    RecordingEndpoint a = h.endpoint("a", true);
    Path storage = h.dir().resolve("shared-data");
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess first = h.gateway("first", config, storage, "info").startReady();
    AtomicLong notReady = new AtomicLong();
    ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
    watch.scheduleWithFixedDelay(
        () -> {
          if (!first.ready()) {
            notReady.incrementAndGet();
          }
        },
        0,
        250,
        TimeUnit.MILLISECONDS);
    h.atEnd(watch::shutdownNow);
    HttpLoad load = h.load(first.ingestPort(), HttpLoad.pushes("rel-second", "si", count), rate);
    List<String> exits = new ArrayList<>();
    int refused = 0;
    for (int i = 1; i <= tries; i++) {
      GatewayProcess second =
          h.gateway("second-" + i, h.embeddedConfig().endpoint(a), storage, "info");
      long t0 = System.nanoTime();
      second.process().start();
      Integer code = second.process().awaitExit(EXIT_BOUND);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      String out = second.process().lastOutput().toLowerCase(Locale.ROOT);
      boolean clear = out.contains("lock") || out.contains("in use by another pyrogate");
      exits.add(
          "try "
              + i
              + ": "
              + (code == null
                  ? "still running after " + EXIT_BOUND.toSeconds() + " s"
                  : "exit " + code + " in " + millis + " ms")
              + (clear ? ", says why (lock)" : ", no word of the lock"));
      if (code != null && code != 0 && clear) {
        refused++;
      }
      second.close();
      // The damage a second instance did to the first (a corrupt metadata log) showed within
      // seconds.
      Harness.hold(Duration.ofSeconds(5));
    }
    load.await(Duration.ofSeconds(120));
    watch.shutdownNow();
    boolean alive = first.process().alive();
    boolean ready = alive && first.ready();
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(90));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    long answered = load.answers().size();
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(
                refused == tries,
                (tries - refused)
                    + " of "
                    + tries
                    + " second instances did not fail fast with a message about the lock: "
                    + exits)
            .promise(
                alive && ready && notReady.get() == 0,
                "the first instance "
                    + (alive
                        ? "was not ready " + notReady.get() + " time(s) (polled every 250 ms)"
                        : "died"))
            .promise(
                c.acknowledged() == answered,
                (answered - c.acknowledged())
                    + " of "
                    + answered
                    + " pushes to the first instance not acknowledged: "
                    + load.byStatus())
            .note(String.join("; ", exits));
    return h.result(
        count
            + " pushes at "
            + rate
            + "/s, "
            + tries
            + " second instances on the same storage path",
        c,
        v,
        "every second instance refused fast, the first untouched ("
            + String.join("; ", exits)
            + ")");
  }
}
