package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A reload that changes a relabel component re-wires it in place: the receiver forwarding to it
 * keeps running (same deployment), and the next profile is relabelled with the new rules and goes
 * to the new targets; a new relabel component put between a receiver and its write is wired in.
 */
@GatewayTest
class RelabelReloadTest {
  private static final String CONFIG =
      """
      pyroscope.receive_http "default" {
        http {
          listen_address = "127.0.0.1"
          listen_port    = 0
        }
        forward_to = [pyroscope.relabel.r.receiver]
      }
      pyroscope.relabel "r" {
        forward_to = [pyroscope.write.%s.receiver]
        rule {
          target_label = "stage"
          replacement  = "%s"
        }
      }
      pyroscope.write "first" {
        endpoint {
          url                = "%s"
          min_backoff_period = "50ms"
          max_backoff_period = "500ms"
        }
      }
      pyroscope.write "second" {
        endpoint {
          url                = "%s"
          min_backoff_period = "50ms"
          max_backoff_period = "500ms"
        }
      }
      """;

  @Test
  void aChangedRelabelIsRewiredWithoutRestartingItsReceiver(
      GatewayUnderTest gateway, FakePyroscope first, FakePyroscope second) {
    gateway.start(CONFIG.formatted("first", "before", first.url(), second.url()));
    Map<String, String> before = gateway.gateway().deploymentIds();
    assertThat(labelsAt(first, gateway)).contains("stage=before");

    gateway.rewrite(CONFIG.formatted("second", "after", first.url(), second.url()));
    HttpResponse<String> reload = gateway.reload();

    assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    assertThat(reload.body()).isEqualTo("changed: pyroscope.relabel.r\n");
    assertThat(gateway.gateway().deploymentIds()).isEqualTo(before);
    assertThat(labelsAt(second, gateway)).contains("stage=after");
  }

  /** Pushes a profile and returns the labels it reached {@code endpoint} with. */
  private static List<String> labelsAt(FakePyroscope endpoint, GatewayUnderTest gateway) {
    PushRequest push =
        Profiles.push("svc-" + UUID.randomUUID(), Profiles.jvmStacksPprof(1), Map.of());
    assertThat(TestGateways.push(gateway.ingestPort(), push.toByteArray()).statusCode())
        .isEqualTo(200);
    RawProfileSeries series =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> endpoint.deliveredSeries(Profiles.sampleIds(push).get(0)),
                Optional::isPresent)
            .get();
    return series.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue()).toList();
  }
}
