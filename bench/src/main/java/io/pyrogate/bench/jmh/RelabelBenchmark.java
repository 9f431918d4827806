package io.pyrogate.bench.jmh;

import io.pyrogate.bench.Payloads;
import io.pyrogate.config.RelabelComponent;
import io.pyrogate.golang.Url;
import io.pyrogate.ingest.RelabelReceiver;
import io.pyrogate.ops.Metrics;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.relabel.RelabelRule;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a {@code pyroscope.relabel} adds to ingest per profile: a push with no rule (forwarded
 * unparsed), with rules that change nothing (parsed, labels looked up in the cache, forwarded as
 * is), with rideshare-alloy's rules (parsed, relabelled from the cache, re-encoded), and an {@code
 * /ingest} whose name is rewritten. The target completes at once: Kafka is not measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RelabelBenchmark {
  /** rideshare-alloy's rules (grafana/pyroscope examples). */
  private static final List<RelabelRule> RIDESHARE =
      List.of(
          replace(List.of("region"), "(.*)", "datacenter", "$1"),
          replace(List.of(), "(.*)", "environment", "demo"),
          replace(List.of("__name__"), "ride-sharing-app.*", "component", "backend"),
          replace(List.of("__name__"), "load-generator.*", "component", "load-generator"));

  private static final List<RelabelRule> KEEP_ALL =
      List.of(
          new RelabelRule(List.of("region"), ";", "eu-.*", 0, "", "$1", RelabelRule.Action.KEEP));

  private static final ProfileReceiver TARGET =
      new ProfileReceiver() {
        @Override
        public String name() {
          return "bench";
        }

        @Override
        public Future<Void> append(ProfileRecord record, String key) {
          return Future.succeededFuture();
        }
      };

  private ProfileRecord push;
  private ProfileRecord ingest;
  private RelabelReceiver none;
  private RelabelReceiver unchanged;
  private RelabelReceiver rideshare;

  @Setup
  public void setup() {
    Payloads payloads =
        Payloads.load(
            Path.of(System.getProperty("bench.payloads", "bench/target/bench/payloads")),
            50 * 1024);
    push = ProfileRecord.push(null, payloads.push(0).toByteArray(), 0);
    ingest =
        new ProfileRecord(
            ProfileRecord.Kind.INGEST,
            null,
            "binary/octet-stream",
            null,
            "name="
                + Url.queryEscape("ride-sharing-app.cpu{region=eu-north,vehicle=car}")
                + "&from=1700000000&until=1700000010&format=pprof&spyName=gospy",
            0,
            payloads.push(0).getSeries(0).getSamples(0).getRawProfile().toByteArray());
    Metrics metrics = new Metrics();
    none = receiver("none", List.of(), metrics);
    unchanged = receiver("unchanged", KEEP_ALL, metrics);
    rideshare = receiver("rideshare", RIDESHARE, metrics);
  }

  @Benchmark
  public Object pushNoRule() {
    return none.append(push, "k");
  }

  @Benchmark
  public Object pushRulesChangeNothing() {
    return unchanged.append(push, "k");
  }

  @Benchmark
  public Object pushRideshareRules() {
    return rideshare.append(push, "k");
  }

  @Benchmark
  public Object ingestRideshareRules() {
    return rideshare.append(ingest, "k");
  }

  private static RelabelReceiver receiver(String label, List<RelabelRule> rules, Metrics metrics) {
    return new RelabelReceiver(
        new RelabelComponent(label, List.of("w"), RelabelComponent.DEFAULT_MAX_CACHE_SIZE, rules),
        List.of(TARGET),
        metrics.relabel(label));
  }

  private static RelabelRule replace(
      List<String> sources, String regex, String target, String replacement) {
    return new RelabelRule(sources, ";", regex, 0, target, replacement, RelabelRule.Action.REPLACE);
  }
}
