package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SdkPayloads;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests a multi-tenant Pyroscope refuses for their tenant, labels or profile bytes (issue 15,
 * findings 10 and 13) are refused at ingest with a 4xx and a clear message, counted by reason, and
 * never stored; the same requests made valid are stored.
 */
@GatewayTest
class PyroscopeRefusalsTest {
  private static final String PUSH = "/push.v1.PusherService/Push";
  private static FakePyroscope pyroscope;
  private static GatewayUnderTest gateway;
  private static String topic;
  private static int port;

  @BeforeAll
  static void start(FakePyroscope endpoint, GatewayUnderTest started) {
    pyroscope = endpoint;
    gateway = started;
    gateway.startPipeline(pyroscope.url());
    topic = gateway.writeTopic("w");
    port = gateway.ingestPort();
  }

  @Test
  void tenantsPyroscopeRefusesGetItsAnswer() {
    int before = stored();
    byte[] push = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
    byte[] folded = "foo;bar 1\n".getBytes(StandardCharsets.UTF_8);
    Map<String, String> refused =
        Map.of(
            "team a",
            "tenant ID 'team a' contains unsupported character ' '",
            "a/b",
            "tenant ID 'a/b' contains unsupported character '/'",
            "x".repeat(151),
            "tenant ID is too long: max 150 characters",
            "..",
            "tenant ID is '.' or '..'",
            "a|b",
            "multiple org IDs present");
    refused.forEach(
        (tenant, message) -> {
          expect(
              post(
                  port,
                  PUSH,
                  push,
                  Map.of("Content-Type", "application/proto", "X-Scope-OrgID", tenant)),
              401,
              "unauthenticated",
              message);
          // /ingest: Pyroscope's text formats answer the connect code (401), its pprof and JFR
          // paths 422.
          expect(
              post(
                  port,
                  "/ingest?name=app.cpu",
                  folded,
                  Map.of("Content-Type", "text/plain", "X-Scope-OrgID", tenant)),
              401,
              "unauthenticated",
              message);
          expect(
              post(
                  port,
                  "/ingest?name=app&format=pprof",
                  Profiles.jvmStacksPprof(1),
                  Map.of("Content-Type", "binary/octet-stream", "X-Scope-OrgID", tenant)),
              422,
              "unknown",
              message);
        });
    assertThat(stored()).as("nothing stored").isEqualTo(before);

    for (String tenant :
        List.of("team-a", "Az09!-_.*'()", "x".repeat(150), "123456:product=k6", "a|a")) {
      assertThat(
              post(
                      port,
                      PUSH,
                      push,
                      Map.of("Content-Type", "application/proto", "X-Scope-OrgID", tenant))
                  .statusCode())
          .as(tenant)
          .isEqualTo(200);
    }
    assertThat(stored()).isEqualTo(before + 5);
    assertThat(metrics())
        .contains(
            refusedLine("push", "tenant") + " 5.0", refusedLine("ingest", "tenant") + " 10.0");
  }

  @Test
  void aPushSeriesWithoutNameIsRefusedAndEmptyValuesAreMissingLabels() {
    int before = stored();
    byte[] pprof = Profiles.jvmStacksPprof(1);
    expect(
        push(List.of(label("service_name", "svc"), label("env", "prod")), pprof),
        400,
        "invalid_argument",
        "invalid labels '{env=\"prod\", service_name=\"svc\"}' with error: invalid metric name");
    // service_name="" is no service_name, and the unknown_service the distributor adds shares its
    // name: both go.
    expect(
        push(List.of(label("__name__", "process_cpu"), label("service_name", "")), pprof),
        400,
        "invalid_argument",
        "invalid labels '{__name__=\"process_cpu\"}' with error: service name is not provided");
    assertThat(stored()).as("nothing stored").isEqualTo(before);

    // Pyroscope leaves labels with an empty value out before it counts and checks, so these pass.
    List<LabelPair> thirty =
        new ArrayList<>(List.of(label("__name__", "process_cpu"), label("service_name", "svc")));
    for (int i = 0; i < 28; i++) {
      thirty.add(label(String.format("l%02d", i), "v"));
    }
    thirty.add(label("empty", ""));
    thirty.add(label("", ""));
    assertThat(push(thirty, pprof).statusCode()).isEqualTo(200);
    assertThat(stored()).isEqualTo(before + 1);
  }

  @Test
  void profilesThatAreNeitherGzipNorPprofAreRefused() throws IOException {
    int before = stored();
    List<LabelPair> labels =
        List.of(label("__name__", "process_cpu"), label("service_name", "svc"));
    byte[] garbage = "definitely not a profile".getBytes(StandardCharsets.US_ASCII);
    expect(
        push(labels, garbage),
        400,
        "invalid_argument",
        "series 0 sample 0: raw_profile: not a gzip stream nor a pprof profile: wrong wire type 4 for field 12");
    expect(
        push(labels, new byte[0]),
        400,
        "invalid_argument",
        "series 0 sample 0: raw_profile: empty profile");
    byte[] plain = gunzip(Profiles.jvmStacksPprof(1));
    PushRequest second =
        PushRequest.newBuilder()
            .addSeries(series(labels, Profiles.jvmStacksPprof(1)))
            .addSeries(
                series(labels, plain).toBuilder()
                    .addSamples(sample(Arrays.copyOf(plain, plain.length / 2))))
            .build();
    expect(
        post(port, PUSH, second.toByteArray(), Map.of("Content-Type", "application/proto")),
        400,
        "invalid_argument",
        "series 1 sample 1: raw_profile: not a gzip stream nor a pprof profile");

    expect(
        post(
            port,
            "/ingest?name=app&format=pprof",
            garbage,
            Map.of("Content-Type", "binary/octet-stream")),
        422,
        "unknown",
        "parsing IngestInput-pprof failed not a gzip stream nor a pprof profile");
    SdkPayloads.Body form = SdkPayloads.goPprofForm(garbage, null);
    expect(
        post(port, "/ingest?name=app", form.bytes(), Map.of("Content-Type", form.contentType())),
        422,
        "unknown",
        "parsing IngestInput-pprof failed not a gzip stream nor a pprof profile");
    assertThat(stored()).as("nothing stored").isEqualTo(before);

    // An uncompressed pprof is a profile too.
    assertThat(push(labels, plain).statusCode()).isEqualTo(200);
    assertThat(
            post(
                    port,
                    "/ingest?name=app&format=pprof",
                    plain,
                    Map.of("Content-Type", "binary/octet-stream"))
                .statusCode())
        .isEqualTo(200);
    assertThat(stored()).isEqualTo(before + 2);
    assertThat(metrics())
        .contains(
            refusedLine("push", "profile") + " 3.0", refusedLine("ingest", "profile") + " 2.0");
  }

  @Test
  void ingestNamesWhoseSeriesPyroscopeRefusesAreRefused() {
    int before = stored();
    byte[] folded = "foo;bar 1\n".getBytes(StandardCharsets.UTF_8);
    StringBuilder many = new StringBuilder("app.cpu{");
    for (int i = 0; i < 28; i++) {
      many.append(i > 0 ? "," : "").append("l").append(i).append("=v");
    }
    String tooMany = many.append('}').toString();
    // Pyroscope adds __name__, __delta__, pyroscope_spy and service_name: 32 labels.
    expect(
        post(
            port,
            "/ingest?name=" + SdkPayloads.encode(tooMany),
            folded,
            Map.of("Content-Type", "text/plain")),
        400,
        "invalid_argument",
        "has 32 label names; limit 30");
    expect(
        post(
            port,
            "/ingest?format=pprof&name=" + SdkPayloads.encode("app{k=" + "x".repeat(2049) + "}"),
            Profiles.jvmStacksPprof(1),
            Map.of("Content-Type", "binary/octet-stream")),
        422,
        "unknown",
        "has label value too long");
    assertThat(stored()).as("nothing stored").isEqualTo(before);

    String thirty = tooMany.replace(",l26=v,l27=v", "");
    assertThat(
            post(
                    port,
                    "/ingest?name=" + SdkPayloads.encode(thirty),
                    folded,
                    Map.of("Content-Type", "text/plain"))
                .statusCode())
        .isEqualTo(200);
    assertThat(stored()).isEqualTo(before + 1);
    assertThat(metrics()).contains(refusedLine("ingest", "labels") + " 2.0");
  }

  // --- helpers ---

  private static HttpResponse<String> push(List<LabelPair> labels, byte[] profile) {
    PushRequest request = PushRequest.newBuilder().addSeries(series(labels, profile)).build();
    return post(port, PUSH, request.toByteArray(), Map.of("Content-Type", "application/proto"));
  }

  private static RawProfileSeries series(List<LabelPair> labels, byte[] profile) {
    return RawProfileSeries.newBuilder().addAllLabels(labels).addSamples(sample(profile)).build();
  }

  private static RawSample sample(byte[] profile) {
    return RawSample.newBuilder().setRawProfile(ByteString.copyFrom(profile)).build();
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }

  private static int stored() {
    return gateway.broker().readAll(topic).size();
  }

  private static String metrics() {
    return TestGateways.get(gateway.managementPort(), "/metrics").body();
  }

  private static String refusedLine(String route, String reason) {
    return "pyrogate_ingest_refused_total{component_id=\"pyroscope.receive_http.default\",reason=\""
        + reason
        + "\",route=\""
        + route
        + "\"}";
  }

  private static void expect(
      HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject error = new JsonObject(response.body());
    assertThat(error.getString("code")).as(response.body()).isEqualTo(code);
    assertThat(error.getString("message")).contains(message);
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
