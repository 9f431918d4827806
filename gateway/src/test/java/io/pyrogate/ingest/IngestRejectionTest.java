package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SdkPayloads;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Pyroscope's {@code /ingest} refuses get the status and message Pyroscope gives (400 for
 * the name, 422 for a body it cannot convert, 413 over the limit), and nothing of them reaches
 * Kafka or an endpoint.
 */
@GatewayTest
class IngestRejectionTest {
  private static FakePyroscope pyroscope;
  private static GatewayUnderTest gateway;
  private static String topic;
  private static int port;
  private static final String GOOD_QUERY = "name=good.cpu";

  @BeforeAll
  static void start(FakePyroscope endpoint, GatewayUnderTest started) {
    pyroscope = endpoint;
    gateway = started;
    gateway.startPipeline(pyroscope.url());
    topic = gateway.writeTopic("w");
    port = gateway.ingestPort();
  }

  @Test
  void badNamesGet400WithPyroscopesMessage() {
    byte[] folded = "foo;bar 1\n".getBytes(StandardCharsets.UTF_8);
    expect(
        send("name=my%20app.cpu", "text/plain", folded),
        400,
        "invalid_argument",
        "name: invalid service name: my app.cpu: character is not allowed: ' '");
    expect(
        send("name=" + SdkPayloads.encode("app.cpu{bad-key=1}"), "text/plain", folded),
        400,
        "invalid_argument",
        "name: invalid label name: bad-key: character is not allowed: '-'");
    expect(
        send("name=" + SdkPayloads.encode("app.cpu{=v}"), "text/plain", folded),
        400,
        "invalid_argument",
        "name: label name is required");
    expect(
        send("name=" + SdkPayloads.encode("{env=prod}"), "text/plain", folded),
        400,
        "invalid_argument",
        "name: service name is required");
    expect(
        send("from=1700000000&until=1700000010", "text/plain", folded),
        400,
        "invalid_argument",
        "name: service name is required");
    expect(
        send("name=" + SdkPayloads.encode("app\u00e9.cpu"), "text/plain", folded),
        400,
        "invalid_argument",
        "name: invalid service name: app\u00e9.cpu: character is not allowed: '\u00e9'");
    // Text formats take the profile type from the name's suffix; "app" is not one.
    expect(
        send("name=my.app", "text/plain", folded),
        400,
        "invalid_argument",
        "pyroscopeIngesterAdapter failed to convert metadata: unknown profile type: app");
    expect(
        send(
            "name=my.app&format=lines", "text/plain", "foo;bar\n".getBytes(StandardCharsets.UTF_8)),
        400,
        "invalid_argument",
        "unknown profile type: app");
    assertNothingStored();
  }

  @Test
  void bodiesPyroscopeCannotConvertGet422() {
    byte[] pprof = Profiles.jvmStacksPprof(1);
    SdkPayloads.Body go = SdkPayloads.goPprofForm(pprof, null);
    String goBoundary = go.contentType().substring(go.contentType().indexOf('=') + 1);

    expect(
        send("name=app&format=pprof", "binary/octet-stream", new byte[0]),
        422,
        "unknown",
        "request body is empty");
    expect(
        send("name=app.cpu", "text/plain", new byte[0]), 422, "unknown", "request body is empty");
    expect(
        send("name=app", "multipart/form-data", go.bytes()),
        422,
        "unknown",
        "parsing IngestInput-pprof failed failed to parse pprof /ingest multipart form malformed multipart content type header");
    expect(
        send("name=app", "multipart/form-data; boundary=\"unterminated", go.bytes()),
        422,
        "unknown",
        "mime: invalid media parameter");
    expect(
        send("name=app", "multipart/form-data; boundary=not-the-one-in-the-body", go.bytes()),
        422,
        "unknown",
        "multipart: NextPart: EOF");
    expect(
        send("name=app", go.contentType(), Arrays.copyOf(go.bytes(), go.bytes().length - 40)),
        422,
        "unknown",
        "unexpected EOF");
    expect(
        send(
            "name=app",
            go.contentType(),
            ("--"
                    + goBoundary
                    + "\r\nContent-Disposition form-data\r\n\r\nx\r\n--"
                    + goBoundary
                    + "--\r\n")
                .getBytes(StandardCharsets.UTF_8)),
        422,
        "unknown",
        "malformed MIME header line");

    SdkPayloads.Body configOnly =
        SdkPayloads.form(
            "b0undary",
            List.of(
                new SdkPayloads.Part(
                    "sample_type_config",
                    "sample_type_config.json",
                    null,
                    "{}".getBytes(StandardCharsets.UTF_8))));
    expect(
        send("name=app", configOnly.contentType(), configOnly.bytes()),
        422,
        "unknown",
        "failed to parse pprof /ingest multipart form profile field is required");
    SdkPayloads.Body notAFile =
        SdkPayloads.form("b0undary", List.of(new SdkPayloads.Part("profile", null, null, pprof)));
    expect(
        send("name=app", notAFile.contentType(), notAFile.bytes()),
        422,
        "unknown",
        "profile field is required");
    SdkPayloads.Body emptyProfile = SdkPayloads.goPprofForm(new byte[0], null);
    expect(
        send("name=app", emptyProfile.contentType(), emptyProfile.bytes()),
        422,
        "unknown",
        "profile field is required");

    SdkPayloads.Body withPrevious =
        SdkPayloads.form(
            "b0undary",
            List.of(
                new SdkPayloads.Part("profile", "profile.pprof", "application/octet-stream", pprof),
                new SdkPayloads.Part(
                    "prev_profile", "profile.pprof", "application/octet-stream", pprof)));
    expect(
        send("name=app", withPrevious.contentType(), withPrevious.bytes()),
        422,
        "unknown",
        "parsing IngestInput-pprof failed failed to parse pprof /ingest multipart form unsupported client version. "
            + "Please update github.com/grafana/pyroscope-go to the latest version");

    SdkPayloads.Body badConfig = SdkPayloads.goPprofForm(pprof, "{\"cpu\": {\"units\": 5}}");
    expect(
        send("name=app", badConfig.contentType(), badConfig.bytes()),
        422,
        "unknown",
        "sample_type_config \"cpu\": units must be a string");
    SdkPayloads.Body notJson = SdkPayloads.goPprofForm(pprof, "units=nanoseconds");
    expect(
        send("name=app", notJson.contentType(), notJson.bytes()),
        422,
        "unknown",
        "sample_type_config is not a JSON object");

    SdkPayloads.Body labelsOnly =
        SdkPayloads.form(
            "b0undary",
            List.of(
                new SdkPayloads.Part(
                    "labels", "labels", "application/x-protobuf", SdkPayloads.jfrLabels())));
    expect(
        send("name=app&format=jfr", labelsOnly.contentType(), labelsOnly.bytes()),
        422,
        "unknown",
        "parsing IngestInput-pprof failed jfr field is required");
    expect(
        send(
            "name=app&format=jfr",
            "multipart/form-data; boundary=x",
            "--y\r\n\r\n--y--".getBytes(StandardCharsets.UTF_8)),
        422,
        "unknown",
        "parsing IngestInput-pprof failed multipart: NextPart: EOF");
    assertNothingStored();
  }

  @Test
  void oversizeBodiesGet413AndOtherMethods405() {
    expect(
        send(
            "name=app&format=pprof",
            "binary/octet-stream",
            new byte[KafkaDefaults.MAX_BODY_BYTES + 1]),
        413,
        "invalid_argument",
        "request body too large");

    HttpResponse<String> get =
        TestGateways.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ingest?name=app"))
                .GET()
                .build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertNothingStored();
  }

  private static HttpResponse<String> send(String query, String contentType, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return post(port, "/ingest?" + query, body, headers);
  }

  private static void expect(
      HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject error = new JsonObject(response.body());
    assertThat(error.getString("code")).as(response.body()).isEqualTo(code);
    assertThat(error.getString("message")).contains(message);
  }

  /**
   * Nothing of the bad requests was written to Kafka or reached the endpoint: whatever is there
   * came from {@link #theSamePipelineStoresAndDeliversAGoodRequest} (tests share the gateway and
   * may run in any order).
   */
  private static void assertNothingStored() {
    assertThat(gateway.broker().readAll(topic))
        .allSatisfy(
            r -> assertThat(LegacyIngestTest.header(r, "pyrogate-query")).isEqualTo(GOOD_QUERY));
    assertThat(pyroscope.received()).allSatisfy(r -> assertThat(r.query()).isEqualTo(GOOD_QUERY));
  }

  @Test
  void theSamePipelineStoresAndDeliversAGoodRequest() {
    assertThat(
            send(GOOD_QUERY, "text/plain", "foo;bar 1\n".getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(200);
    assertThat(gateway.broker().readAll(topic)).hasSize(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
  }
}
