package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.golang.Url;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code receive_http → pyroscope.relabel → write} through a running gateway: profiles pushed or
 * sent to {@code /ingest} come out at a real receiver with the labels Alloy's pyroscope.relabel
 * gives them, dropped profiles are answered 200 and never stored, and the metrics count as Alloy's.
 */
@GatewayTest
class RelabelPipelineTest {
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  private static FakePyroscope pyroscope;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start(FakePyroscope endpoint, GatewayUnderTest started) {
    pyroscope = endpoint;
    gateway = started;
    gateway.start(
        """
        pyroscope.receive_http "default" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = 0
          }
          forward_to = [pyroscope.relabel.rules.receiver]
        }
        pyroscope.relabel "rules" {
          forward_to = [pyroscope.write.w.receiver]
          rule {
            source_labels = ["env"]
            regex         = "dev"
            action        = "drop"
          }
          rule {
            source_labels = ["region"]
            regex         = "(us-.*)"
            target_label  = "geo_area"
            replacement   = "americas"
          }
          rule {
            source_labels = ["tier"]
            regex         = "broken"
            target_label  = "__name__"
            replacement   = ""
          }
        }
        pyroscope.receive_http "counted" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = 0
          }
          forward_to = [pyroscope.relabel.counted.receiver]
        }
        pyroscope.relabel "counted" {
          forward_to = [pyroscope.relabel.chained.receiver]
          rule {
            source_labels = ["env"]
            regex         = "dev"
            action        = "drop"
          }
        }
        pyroscope.relabel "chained" {
          forward_to = [pyroscope.write.w.receiver]
          rule {
            target_label = "chained"
            replacement  = "yes"
          }
        }
        pyroscope.write "w" {
          endpoint {
            url                = "%s"
            min_backoff_period = "50ms"
            max_backoff_period = "500ms"
          }
        }
        """
            .formatted(pyroscope.url()));
  }

  @Test
  void eachPushedSeriesIsRelabelledOrDroppedAndItsProfileIsUntouched() {
    String service = "svc-" + UUID.randomUUID();
    byte[] pprof = Profiles.jvmStacksPprof(1);
    PushRequest kept = Profiles.push(service, pprof, labels("region", "us-east", "env", "prod"));
    PushRequest dropped = Profiles.push(service, pprof, labels("env", "dev"));
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(kept.getSeries(0))
            .addSeries(dropped.getSeries(0))
            .build();

    assertThat(TestGateways.push(gateway.ingestPort(), request.toByteArray()).statusCode())
        .isEqualTo(200);

    String keptId = Profiles.sampleIds(kept).get(0);
    RawProfileSeries delivered =
        await()
            .atMost(DELIVERY)
            .until(() -> pyroscope.deliveredSeries(keptId), Optional::isPresent)
            .get();
    // Alloy's receive_http adds app_name = __name__ when service_name is set; the rule adds
    // geo_area; the labels come out sorted, as Alloy forwards them.
    assertThat(pairs(delivered.getLabelsList()))
        .containsExactly(
            "__name__=process_cpu",
            "app_name=process_cpu",
            "env=prod",
            "geo_area=americas",
            "region=us-east",
            "service_name=" + service);
    assertThat(delivered.getSamples(0).getRawProfile().toByteArray()).isEqualTo(pprof);
    List<String> stored = storedSampleIds();
    assertThat(stored).contains(keptId).doesNotContain(Profiles.sampleIds(dropped).get(0));
  }

  @Test
  void aPushTheRulesLeaveAsItIsIsStoredByteForByte() {
    PushRequest request =
        Profiles.push(
            "svc-" + UUID.randomUUID(), Profiles.jvmStacksPprof(1), labels("region", "eu-north"));
    byte[] bytes = request.toByteArray();

    assertThat(TestGateways.push(gateway.ingestPort(), bytes).statusCode()).isEqualTo(200);

    assertThat(gateway.broker().readAll(gateway.writeTopic("w")))
        .anySatisfy(r -> assertThat(r.value()).isEqualTo(bytes));
  }

  @Test
  void aDroppedPushIsAnswered200AndNeverStored() {
    String service = "svc-" + UUID.randomUUID();
    PushRequest dropped = Profiles.push(service, Profiles.jvmStacksPprof(1), labels("env", "dev"));
    PushRequest after = Profiles.push(service, Profiles.jvmStacksPprof(1), labels("env", "prod"));

    assertThat(TestGateways.push(gateway.ingestPort(), dropped.toByteArray()).statusCode())
        .isEqualTo(200);
    assertThat(TestGateways.push(gateway.ingestPort(), after.toByteArray()).statusCode())
        .isEqualTo(200);

    // Same service, same key, same partition: once the later one is delivered, the dropped one
    // would have been too.
    String afterId = Profiles.sampleIds(after).get(0);
    await().atMost(DELIVERY).until(() -> pyroscope.deliveredSampleIds().contains(afterId));
    assertThat(pyroscope.deliveredSampleIds()).doesNotContain(Profiles.sampleIds(dropped).get(0));
    assertThat(storedSampleIds()).doesNotContain(Profiles.sampleIds(dropped).get(0));
  }

  @Test
  void labelsPyroscopeWouldRefuseAfterRelabelingAreAnswered400() {
    PushRequest request =
        Profiles.push(
            "svc-" + UUID.randomUUID(), Profiles.jvmStacksPprof(1), labels("tier", "broken"));

    HttpResponse<String> response = TestGateways.push(gateway.ingestPort(), request.toByteArray());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("invalid_argument")
        .contains("pyroscope.relabel.rules: invalid labels")
        .contains("invalid metric name");
  }

  @Test
  void ingestRewritesOnlyTheNameFromTheRelabelledLabels() {
    String test = UUID.randomUUID().toString().replace("-", "");
    String rest = "&from=1700000000&until=1700000010&format=pprof&spyName=gospy&sampleRate=100";
    String query = "name=" + Url.queryEscape("ride.cpu{region=us-west,test=" + test + "}") + rest;
    byte[] body = Profiles.jvmStacksPprof(1);

    HttpResponse<String> response =
        post(
            gateway.ingestPort(),
            "/ingest?" + query,
            body,
            Map.of("Content-Type", "binary/octet-stream"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    FakePyroscope.Request delivered =
        await().atMost(DELIVERY).until(() -> deliveredIngest(test), Optional::isPresent).get();
    // On /ingest __name__ is the app name with its type suffix, and receive_http sets
    // service_name to it when the name has none.
    assertThat(delivered.query())
        .isEqualTo(
            "name="
                + Url.queryEscape(
                    "ride.cpu{geo_area=americas,region=us-west,service_name=ride.cpu,test="
                        + test
                        + "}")
                + rest);
    assertThat(delivered.body()).isEqualTo(body);
  }

  @Test
  void aDroppedIngestIsAnswered200AndNeverStored() {
    String test = UUID.randomUUID().toString().replace("-", "");
    String query =
        "name=" + Url.queryEscape("ride.cpu{env=dev,test=" + test + "}") + "&format=pprof";

    HttpResponse<String> response =
        post(gateway.ingestPort(), "/ingest?" + query, Profiles.jvmStacksPprof(1), Map.of());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gateway.broker().readAll(gateway.writeTopic("w")))
        .noneMatch(
            r -> {
              String stored = KafkaHeaders.lastString(r.headers(), KafkaHeaders.QUERY);
              return stored != null && stored.contains(test);
            });
  }

  @Test
  void relabelsChainAndCountAsAlloysMetricsWithTheirCache() {
    String service = "svc-" + UUID.randomUUID();
    PushRequest prod = Profiles.push(service, Profiles.jvmStacksPprof(1), labels("env", "prod"));
    PushRequest prodAgain =
        Profiles.push(service, Profiles.jvmStacksPprof(1), labels("env", "prod"));
    PushRequest dev = Profiles.push(service, Profiles.jvmStacksPprof(1), labels("env", "dev"));
    int port = gateway.ingestPort("counted");
    for (PushRequest r : List.of(prod, prodAgain, dev)) {
      assertThat(TestGateways.push(port, r.toByteArray()).statusCode()).isEqualTo(200);
    }

    String id = Profiles.sampleIds(prodAgain).get(0);
    RawProfileSeries delivered =
        await()
            .atMost(DELIVERY)
            .until(() -> pyroscope.deliveredSeries(id), Optional::isPresent)
            .get();
    assertThat(pairs(delivered.getLabelsList())).contains("chained=yes", "env=prod");

    String metrics = TestGateways.get(gateway.managementPort(), "/metrics").body();
    assertThat(metric(metrics, "pyroscope_relabel_profiles_processed", "counted")).isEqualTo(3);
    assertThat(metric(metrics, "pyroscope_relabel_profiles_written", "counted")).isEqualTo(2);
    assertThat(metric(metrics, "pyroscope_relabel_profiles_dropped", "counted")).isEqualTo(1);
    assertThat(metric(metrics, "pyroscope_relabel_cache_misses", "counted")).isEqualTo(2);
    assertThat(metric(metrics, "pyroscope_relabel_cache_hits", "counted")).isEqualTo(1);
    assertThat(metric(metrics, "pyroscope_relabel_cache_size", "counted")).isEqualTo(2);
    assertThat(metric(metrics, "pyroscope_relabel_profiles_processed", "chained")).isEqualTo(2);
    assertThat(metric(metrics, "pyroscope_relabel_profiles_written", "chained")).isEqualTo(2);
  }

  @Test
  void everyRelabelMetricServedIsInTheReadmesMetricsTable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("\n## Metrics\n");
    String table = readme.substring(start, readme.indexOf("\n## ", start + 1));
    Matcher served =
        Pattern.compile("(?m)^(pyroscope_relabel_\\w+)\\{")
            .matcher(TestGateways.get(gateway.managementPort(), "/metrics").body());
    List<String> names = served.results().map(m -> m.group(1)).distinct().toList();
    assertThat(names).hasSize(6);
    assertThat(names).allSatisfy(n -> assertThat(table).contains("`" + n + "`"));
  }

  private static double metric(String scrape, String name, String relabel) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + name
                    + "\\{component_id=\"pyroscope\\.relabel\\."
                    + relabel
                    + "\"} (\\S+)$")
            .matcher(scrape);
    assertThat(m.find()).as(name + " of " + relabel + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  private static List<String> pairs(List<LabelPair> labels) {
    return labels.stream().map(l -> l.getName() + "=" + l.getValue()).toList();
  }

  private static Optional<FakePyroscope.Request> deliveredIngest(String test) {
    return pyroscope.delivered().stream()
        .filter(r -> r.path().equals("/ingest") && r.query().contains(test))
        .findFirst();
  }

  /** The sample IDs of every push record in the write topic. */
  private static List<String> storedSampleIds() {
    return gateway.broker().readAll(gateway.writeTopic("w")).stream()
        .filter(r -> r.headers().lastHeader(KafkaHeaders.QUERY) == null)
        .map(ConsumerRecord::value)
        .flatMap(v -> Profiles.sampleIds(parse(v)).stream())
        .toList();
  }

  private static PushRequest parse(byte[] bytes) {
    try {
      return PushRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
