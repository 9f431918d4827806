package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.ConfigLoader;
import io.pyrogate.golang.Url;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Alloy configurations with {@code pyroscope.relabel} under examples/ — Pyroscope's
 * rideshare-alloy and the hashmod sampling example of Alloy's documentation — pass {@code validate}
 * as they are and run, their ports and endpoint pointed at the test's.
 */
@GatewayTest
class RelabelExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @ParameterizedTest
  @ValueSource(strings = {"rideshare-alloy.alloy", "hashmod-sampling.alloy"})
  void validateAcceptsTheExampleWithoutAWarning(String example) {
    ConfigLoader.Result result =
        ConfigLoader.load(EXAMPLES.resolve(example), name -> null, ConfigLoader.Mode.VALIDATE);
    assertThat(result.diagnostics().all()).isEmpty();
    assertThat(result.config().relabels()).hasSize(1);
  }

  @Test
  void rideshareRelabelsAnIngestByItsAppNameAndAPushByItsLabels(
      GatewayUnderTest gateway, FakePyroscope pyroscope) throws IOException {
    gateway.start(runnable("rideshare-alloy.alloy", pyroscope));
    String test = UUID.randomUUID().toString().replace("-", "");
    String query =
        "name="
            + Url.queryEscape("ride-sharing-app.cpu{region=us-east,test=" + test + "}")
            + "&format=pprof&spyName=gospy";
    assertThat(
            post(
                    gateway.ingestPort(),
                    "/ingest?" + query,
                    Profiles.jvmStacksPprof(1),
                    Map.of("Content-Type", "binary/octet-stream"))
                .statusCode())
        .isEqualTo(200);
    PushRequest push =
        Profiles.push("ride-sharing-app", Profiles.jvmStacksPprof(1), Map.of("region", "eu-north"));
    assertThat(TestGateways.push(gateway.ingestPort(), push.toByteArray()).statusCode())
        .isEqualTo(200);

    // On /ingest, __name__ is the app name with its type suffix: the component rule matches it.
    FakePyroscope.Request ingest =
        await()
            .atMost(DELIVERY)
            .until(
                () ->
                    pyroscope.delivered().stream()
                        .filter(r -> r.path().equals("/ingest") && r.query().contains(test))
                        .findFirst(),
                Optional::isPresent)
            .get();
    assertThat(ingest.query())
        .isEqualTo(
            "name="
                + Url.queryEscape(
                    "ride-sharing-app.cpu{component=backend,datacenter=us-east,environment=demo,"
                        + "region=us-east,service_name=ride-sharing-app.cpu,test="
                        + test
                        + "}")
                + "&format=pprof&spyName=gospy");
    // On push, __name__ is the profile type: no component.
    RawProfileSeries series =
        await()
            .atMost(DELIVERY)
            .until(
                () -> pyroscope.deliveredSeries(Profiles.sampleIds(push).get(0)),
                Optional::isPresent)
            .get();
    assertThat(series.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue()))
        .containsExactly(
            "__name__=process_cpu",
            "app_name=process_cpu",
            "datacenter=eu-north",
            "environment=demo",
            "region=eu-north",
            "service_name=ride-sharing-app");
  }

  @Test
  void hashmodSamplingKeepsTheSeriesWhoseHashIsZero(
      GatewayUnderTest gateway, FakePyroscope pyroscope) throws IOException {
    gateway.start(runnable("hashmod-sampling.alloy", pyroscope));
    String service = "svc-" + UUID.randomUUID();
    // md5("prod") mod 2 = 1 (Alloy's own test); md5("dev") mod 2 = 0.
    PushRequest prod = Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of("env", "prod"));
    PushRequest dev = Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of("env", "dev"));
    for (PushRequest r : List.of(prod, dev)) {
      assertThat(TestGateways.push(gateway.ingestPort(), r.toByteArray()).statusCode())
          .isEqualTo(200);
    }

    RawProfileSeries kept =
        await()
            .atMost(DELIVERY)
            .until(
                () -> pyroscope.deliveredSeries(Profiles.sampleIds(dev).get(0)),
                Optional::isPresent)
            .get();
    // __tmp_hash is set by the rule and, like every reserved label, removed by pyroscope.write.
    assertThat(kept.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue()))
        .containsExactly(
            "__name__=process_cpu", "app_name=process_cpu", "env=dev", "service_name=" + service);
    assertThat(pyroscope.deliveredSampleIds()).doesNotContain(Profiles.sampleIds(prod).get(0));
  }

  /** The example with its receiver on a free loopback port and its endpoint the test's. */
  private static String runnable(String example, FakePyroscope pyroscope) throws IOException {
    String text = Files.readString(EXAMPLES.resolve(example));
    String runnable =
        text.replace("listen_address = \"0.0.0.0\"", "listen_address = \"127.0.0.1\"")
            .replace("listen_port = 9999", "listen_port = 0")
            .replaceAll("url = \"http://pyroscope[^\"]*\"", "url = \"" + pyroscope.url() + "\"");
    assertThat(runnable).doesNotContain("9999").contains(pyroscope.url());
    return runnable;
  }
}
