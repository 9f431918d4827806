package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.golang.Url;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code __tenant_id__} label set by relabel rules chooses a profile's tenant: the series of one
 * push go to their own tenants (two batches to one endpoint, each with its X-Scope-OrgID), a series
 * without it keeps the request's tenant, and the label itself is never stored.
 */
@GatewayTest
class RelabelTenantTest {
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
          forward_to = [pyroscope.relabel.tenants.receiver]
        }
        pyroscope.relabel "tenants" {
          forward_to = [pyroscope.write.w.receiver]
          rule {
            source_labels = ["team"]
            target_label  = "__tenant_id__"
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
  void theSeriesOfOnePushGoToTheTenantsTheirLabelsName() {
    String test = UUID.randomUUID().toString();
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(series(test, "team", "team-a"))
            .addSeries(series(test, "team", "team-b"))
            .addSeries(series(test, "team", "team-a"))
            .addSeries(series(test))
            .build();

    HttpResponse<String> response =
        post(
            gateway.ingestPort(),
            "/push.v1.PusherService/Push",
            request.toByteArray(),
            Map.of("Content-Type", "application/proto", "X-Scope-OrgID", "squad-1"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    Map<String, List<String>> teamsByTenant =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> deliveredTeamsByTenant(test),
                m -> m.values().stream().mapToInt(List::size).sum() == 4);
    assertThat(teamsByTenant)
        .containsOnlyKeys("team-a", "team-b", "squad-1")
        .containsEntry("team-a", List.of("team-a", "team-a"))
        .containsEntry("team-b", List.of("team-b"))
        .containsEntry("squad-1", List.of(""));
  }

  @Test
  void anIngestGoesToTheTenantItsNameLabelsName() {
    String test = UUID.randomUUID().toString().replace("-", "");
    String query =
        "name=" + Url.queryEscape("app.cpu{team=team-c,test=" + test + "}") + "&format=pprof";

    HttpResponse<String> response =
        post(gateway.ingestPort(), "/ingest?" + query, Profiles.jvmStacksPprof(1), Map.of());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    FakePyroscope.Request delivered =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    pyroscope.delivered().stream()
                        .filter(r -> r.path().equals("/ingest") && r.query().contains(test))
                        .findFirst(),
                Optional::isPresent)
            .get();
    assertThat(delivered.headers()).containsEntry("x-scope-orgid", "team-c");
    assertThat(Url.queryGet(delivered.query(), "name"))
        .isEqualTo("app.cpu{service_name=app.cpu,team=team-c,test=" + test + "}");
  }

  @Test
  void aTenantPyroscopeWouldRefuseIsAnswered400() {
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(series(UUID.randomUUID().toString(), "team", "a|b"))
            .build();

    HttpResponse<String> response =
        post(
            gateway.ingestPort(),
            "/push.v1.PusherService/Push",
            request.toByteArray(),
            Map.of("Content-Type", "application/proto"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("pyroscope.relabel.tenants: __tenant_id__ \\\"a|b\\\"");
  }

  private static RawProfileSeries series(String test, String... labels) {
    Map<String, String> extra = new HashMap<>();
    extra.put("test", test);
    for (int i = 0; i < labels.length; i += 2) {
      extra.put(labels[i], labels[i + 1]);
    }
    return Profiles.push("svc", Profiles.jvmStacksPprof(1), extra).getSeries(0);
  }

  /**
   * The team label of every delivered series of this test, by the X-Scope-OrgID of the request it
   * came in; "" for a series without one. Fails if a series carries {@code __tenant_id__}.
   */
  private static Map<String, List<String>> deliveredTeamsByTenant(String test) {
    Map<String, List<String>> out = new HashMap<>();
    for (FakePyroscope.Request r : pyroscope.delivered()) {
      if (!r.path().endsWith("/Push")) {
        continue;
      }
      PushRequest delivered;
      try {
        delivered = PushRequest.parseFrom(r.body());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      for (RawProfileSeries s : delivered.getSeriesList()) {
        Map<String, String> labels = new HashMap<>();
        s.getLabelsList().forEach(l -> labels.put(l.getName(), l.getValue()));
        if (!test.equals(labels.get("test"))) {
          continue;
        }
        assertThat(s.getLabelsList())
            .extracting(LabelPair::getName)
            .doesNotContain("__tenant_id__");
        out.computeIfAbsent(r.headers().get("x-scope-orgid"), k -> new ArrayList<>())
            .add(labels.getOrDefault("team", ""));
      }
    }
    return out;
  }
}
