package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.RelabelComponent;
import io.pyrogate.golang.Url;
import io.pyrogate.ops.Metrics;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.relabel.RelabelRule;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A relabel component re-wired by a reload, as Alloy's {@code Update} does ({@code
 * TestCachePurge}): new rules empty the cache, a new max_cache_size resizes it, new targets get
 * what follows.
 */
class RelabelReceiverTest {
  private static final RelabelRule ENVIRONMENT =
      new RelabelRule(
          List.of("env"), ";", "(.+)", 0, "environment", "staging", RelabelRule.Action.REPLACE);
  private static final RelabelRule ZONE =
      new RelabelRule(
          List.of("region"), ";", "(.*)", 0, "zone", "us-east", RelabelRule.Action.REPLACE);

  /** Keeps what it is given. */
  private static final class Capture implements ProfileReceiver {
    final List<ProfileRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "capture";
    }

    @Override
    public Future<Void> append(ProfileRecord record, String key) {
      records.add(record);
      return Future.succeededFuture();
    }
  }

  private final Metrics metrics = new Metrics();

  @Test
  void newRulesEmptyTheCacheAndOnlyNewTargetsGetWhatFollows() {
    Capture first = new Capture();
    Capture second = new Capture();
    RelabelComponent config = new RelabelComponent("t", List.of("w"), 4, List.of(ENVIRONMENT));
    RelabelReceiver receiver = new RelabelReceiver(config, List.of(first), metrics.relabel("t"));
    receiver.append(ingest("app.cpu{env=prod}"), "k");
    receiver.append(ingest("app.cpu{env=dev}"), "k");
    assertThat(gauge("pyroscope_relabel_cache_size")).isEqualTo(2);

    receiver.update(new RelabelComponent("t", List.of("w2"), 4, List.of(ZONE)), List.of(second));

    assertThat(gauge("pyroscope_relabel_cache_size")).isZero();
    receiver.append(ingest("app.cpu{env=prod}"), "k");
    assertThat(first.records).hasSize(2);
    assertThat(second.records).hasSize(1);
    assertThat(Url.queryGet(second.records.get(0).query(), "name"))
        .isEqualTo("app.cpu{env=prod,service_name=app.cpu,zone=us-east}");
    assertThat(gauge("pyroscope_relabel_cache_misses")).isEqualTo(3);
  }

  @Test
  void sameRulesKeepTheCacheAndANewSizeResizesIt() {
    RelabelComponent config = new RelabelComponent("t", List.of("w"), 4, List.of(ENVIRONMENT));
    Capture capture = new Capture();
    RelabelReceiver receiver = new RelabelReceiver(config, List.of(capture), metrics.relabel("t"));
    receiver.append(ingest("app.cpu{env=a}"), "k");
    receiver.append(ingest("app.cpu{env=b}"), "k");
    receiver.append(ingest("app.cpu{env=c}"), "k");

    receiver.update(
        new RelabelComponent("t", List.of("w"), 1, List.of(ENVIRONMENT)), List.of(capture));

    assertThat(gauge("pyroscope_relabel_cache_size")).isEqualTo(1);
    receiver.append(ingest("app.cpu{env=c}"), "k");
    assertThat(gauge("pyroscope_relabel_cache_hits")).isEqualTo(1);
  }

  private static ProfileRecord ingest(String name) {
    return new ProfileRecord(
        ProfileRecord.Kind.INGEST,
        null,
        "binary/octet-stream",
        null,
        "name=" + Url.queryEscape(name) + "&format=pprof",
        0,
        new byte[] {1});
  }

  private double gauge(String name) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{component_id=\"pyroscope\\.relabel\\.t\"} (\\S+)$")
            .matcher(metrics.scrape());
    assertThat(m.find()).as(name).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
