package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.ConfigLoader;
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

/**
 * The k8s-monitoring-style declared profiles receiver under examples/ passes {@code validate} as it
 * is and runs: a profile pushed into the instance's receiver is relabelled by the instance's
 * relabel and delivered to the write passed as its argument.
 */
@GatewayTest
class DeclaredReceiverTest {
  private static final Path EXAMPLE =
      Path.of("..", "examples", "k8s-monitoring-profiles-receiver.alloy");
  private static final String RECEIVER = "profiles_receiver_feature_default";
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @Test
  void validateAcceptsTheExampleWithoutAWarning() {
    ConfigLoader.Result result =
        ConfigLoader.load(EXAMPLE, name -> null, ConfigLoader.Mode.VALIDATE);
    assertThat(result.diagnostics().all()).isEmpty();
    assertThat(result.config().receivers()).extracting(r -> r.label()).containsExactly(RECEIVER);
    assertThat(result.config().relabels()).extracting(r -> r.label()).containsExactly(RECEIVER);
  }

  @Test
  void aProfilePushedIntoTheDeclaredReceiverIsRelabelledAndDelivered(
      GatewayUnderTest gateway, FakePyroscope pyroscope) throws IOException {
    String text = Files.readString(EXAMPLE);
    String runnable =
        text.replace("listen_address = \"0.0.0.0\"", "listen_address = \"127.0.0.1\"")
            .replace("listen_port = \"4040\"", "listen_port = \"0\"")
            .replaceAll("url = \"http://pyroscope[^\"]*\"", "url = \"" + pyroscope.url() + "\"");
    assertThat(runnable).doesNotContain("\"4040\"").contains(pyroscope.url());
    gateway.start(runnable);
    String service = "svc-" + UUID.randomUUID();
    // md5("prod") mod 2 = 1: dropped by the declared relabel; md5("dev") mod 2 = 0: kept.
    PushRequest prod = Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of("env", "prod"));
    PushRequest dev = Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of("env", "dev"));
    for (PushRequest r : List.of(prod, dev)) {
      assertThat(TestGateways.push(gateway.ingestPort(RECEIVER), r.toByteArray()).statusCode())
          .isEqualTo(200);
    }

    RawProfileSeries kept =
        await()
            .atMost(DELIVERY)
            .until(
                () -> pyroscope.deliveredSeries(Profiles.sampleIds(dev).get(0)),
                Optional::isPresent)
            .get();
    assertThat(kept.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue()))
        .containsExactly(
            "__name__=process_cpu", "app_name=process_cpu", "env=dev", "service_name=" + service);
    assertThat(pyroscope.deliveredSampleIds()).doesNotContain(Profiles.sampleIds(prod).get(0));
  }
}
