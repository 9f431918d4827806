package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.Counts;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.Profiles;
import io.pyrogate.reliability.RecordingEndpoint;
import io.pyrogate.reliability.Result;
import io.pyrogate.reliability.Scenario;
import io.pyrogate.reliability.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link HostileCorpus} (over 1,000 requests) with valid pushes in between: no 5xx (but the 501
 * Pyroscope gives for an unsupported encoding), no 2xx for a class pyrogate promises to refuse, the
 * process alive and ready afterwards, and every valid push acknowledged and delivered.
 */
final class HostileInput implements Scenario {
  /** One valid push after every this many hostile requests. */
  static final int CONTROL_EVERY = 20;

  @Override
  public String name() {
    return "hostile-corpus";
  }

  @Override
  public Result run(Harness h) {
    List<HostileCorpus.Kind> kinds = HostileCorpus.kinds();
    List<HttpLoad.Request> hostile = HostileCorpus.requests(kinds);
    List<HttpLoad.Request> all = new ArrayList<>();
    for (int i = 0; i < hostile.size(); i++) {
      if (i % CONTROL_EVERY == 0) {
        String id = "ho-" + i;
        all.add(HttpLoad.push(id, Profiles.push("rel-hostile", id)));
      }
      all.add(hostile.get(i));
    }
    RecordingEndpoint a = h.endpoint("a", true);
    AlloyConfig config = h.embeddedConfig().endpoint(a);
    GatewayProcess g = h.gateway("pyrogate", config);
    HttpLoad load = h.load(g.ingestPort(), all, 200);
    load.await(Duration.ofSeconds(180));

    Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
    kinds.forEach(k -> byKind.put(k.name(), new TreeMap<>()));
    int controls = 0;
    int serverErrors = 0;
    List<String> accepted = new ArrayList<>();
    Map<String, Long> acceptedByKind = new TreeMap<>();
    for (HttpLoad.Answer ans : load.answers()) {
      String kind = ans.request().kind();
      if (ans.request().id() != null) {
        controls++;
        continue;
      }
      String status = ans.status() < 0 ? ans.error() : Integer.toString(ans.status());
      byKind.computeIfAbsent(kind, x -> new TreeMap<>()).merge(status, 1L, Long::sum);
      if (ans.status() < 0
          || (ans.status() / 100 == 5 && !(ans.status() == 501 && kind.contains("(501)")))) {
        serverErrors++;
      }
      boolean promised = kinds.stream().anyMatch(k -> k.name().equals(kind) && k.refusalPromised());
      if (ans.acknowledged() && promised) {
        acceptedByKind.merge(kind, 1L, Long::sum);
      }
    }
    acceptedByKind.forEach((k, n) -> accepted.add(k + " " + n));
    boolean alive = g.process().alive();
    boolean ready = alive && Harness.until(Duration.ofSeconds(10), g::ready);
    h.awaitSettled(load.acknowledged(), List.of(a), config.bootstrap(), Duration.ofSeconds(60));
    Counts c = h.counts(load.acknowledged(), List.of(a), config.bootstrap(), Set.of());
    long refusedTotal = acceptedByKind.values().stream().mapToLong(Long::longValue).sum();
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(serverErrors == 0, serverErrors + " answers were 5xx or none")
            .promise(
                accepted.isEmpty(),
                refusedTotal + " hostile requests answered 2xx: " + String.join(", ", accepted))
            .promise(
                alive && ready,
                "pyrogate " + (alive ? "not ready" : "exited") + " after the corpus")
            .promise(
                c.acknowledged() == controls,
                (controls - c.acknowledged())
                    + " of "
                    + controls
                    + " valid pushes in between were not acknowledged");
    for (HostileCorpus.Kind k : kinds) {
      v.note(
          k.name()
              + (k.refusalPromised()
                  ? ""
                  : " (reported, no refusal promised: an envelope check cannot tell)")
              + ": "
              + byKind.get(k.name()));
    }
    return h.result(
        hostile.size()
            + " hostile requests in "
            + kinds.size()
            + " classes + "
            + controls
            + " valid pushes, 200/s",
        c,
        v,
        "every hostile request refused with 4xx, no 5xx, alive");
  }
}
