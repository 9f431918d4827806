package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.pyrogate.kafka.KafkaDefaults;
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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Connect push API as clients meet it: each content type and encoding, cleartext HTTP/2, and
 * bad input getting the answer Pyroscope would give with nothing of it reaching Kafka.
 */
@GatewayTest
class PushIngestTest {
  private static final String PATH = "/push.v1.PusherService/Push";
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
  void badRequestsGetConnectErrorsAndNothingIsStored() throws IOException {
    int before = gateway.broker().readAll(topic).size();
    byte[] valid = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();

    HttpResponse<String> wrongType = post(port, PATH, valid, Map.of("Content-Type", "text/plain"));
    expect(wrongType, 415, "unknown", "unsupported content type");
    assertThat(wrongType.headers().firstValue("Accept-Post"))
        .hasValue("application/json, application/json; charset=utf-8, application/proto");
    expect(
        post(port, PATH, valid, Map.of("Content-Type", "application/grpc")),
        415,
        "unknown",
        "unsupported content type");
    expect(
        post(port, PATH, valid, Map.of("Content-Type", "application/proto; charset=utf-8")),
        415,
        "unknown",
        "unsupported content type");
    expect(post(port, PATH, valid, Map.of()), 415, "unknown", "unsupported content type");
    expect(
        post(
            port,
            PATH,
            Arrays.copyOf(valid, valid.length / 2),
            Map.of("Content-Type", "application/proto")),
        400,
        "invalid_argument",
        "unmarshal message");
    expect(
        post(port, PATH, new byte[0], Map.of("Content-Type", "application/proto")),
        400,
        "invalid_argument",
        "no profiles received");
    expect(
        post(port, PATH, new byte[0], Map.of("Content-Type", "application/json")),
        400,
        "invalid_argument",
        "unmarshal message: zero-length payload is not a valid JSON object");
    expect(
        post(
            port,
            PATH,
            "{\"series\": [".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")),
        400,
        "invalid_argument",
        "unmarshal message");
    expect(
        post(
            port,
            PATH,
            valid,
            Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip")),
        400,
        "invalid_argument",
        "invalid gzip body");
    expect(
        post(
            port,
            PATH,
            valid,
            Map.of("Content-Type", "application/proto", "Content-Encoding", "br")),
        501,
        "unimplemented",
        "unknown compression");
    expect(
        post(
            port,
            PATH,
            valid,
            Map.of("Content-Type", "application/proto", "Connect-Protocol-Version", "2")),
        400,
        "invalid_argument",
        "connect-protocol-version");
    expect(
        post(
            port,
            PATH,
            new byte[KafkaDefaults.MAX_BODY_BYTES + 1],
            Map.of("Content-Type", "application/proto")),
        413,
        "resource_exhausted",
        "larger than the limit");
    // A gzip bomb: 16 MiB of zeros is 16 KiB gzipped; it is refused once inflating passes the
    // limit.
    byte[] bomb = gzip(new byte[KafkaDefaults.MAX_BODY_BYTES + 1]);
    assertThat(bomb.length).isLessThan(64 * 1024);
    expect(
        post(
            port,
            PATH,
            bomb,
            Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip")),
        413,
        "resource_exhausted",
        "decompressed body larger");

    HttpResponse<String> get =
        TestGateways.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH)).GET().build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");

    assertThat(gateway.broker().readAll(topic)).as("nothing stored").hasSize(before);
  }

  @Test
  void seriesPyroscopeWouldRefuseGetItsMessage() {
    int before = gateway.broker().readAll(topic).size();
    byte[] pprof = Profiles.jvmStacksPprof(1);

    expectLabels(List.of(), 400, "error at least one label pair is required per profile");
    Map<String, String> many = new LinkedHashMap<>();
    many.put("__name__", "process_cpu");
    many.put("service_name", "svc");
    for (int i = 0; i < 29; i++) {
      many.put(String.format("l%02d", i), "v");
    }
    HttpResponse<String> tooMany = pushLabels(pairs(many), pprof);
    expect(tooMany, 400, "invalid_argument", "has 31 label names; limit 30");
    assertThat(message(tooMany))
        .startsWith("profile series '{__name__=\"process_cpu\", l00=\"v\", l01=\"v\"")
        .endsWith("service_name=\"svc\"}' has 31 label names; limit 30");
    // Without service_name the distributor counts the unknown_service it adds: 30 given + 1.
    many.remove("service_name");
    expect(
        pushLabels(pairs(many), pprof),
        400,
        "invalid_argument",
        "l28=\"v\", service_name=\"unknown_service\"}' has 31 label names; limit 30");

    String longName = "n".repeat(1025);
    expectLabels(
        pairs(Map.of("__name__", "process_cpu", "service_name", "svc", longName, "x")),
        400,
        "profile with labels '{__name__=\"process_cpu\", "
            + longName
            + "=\"x\", service_name=\"svc\"}' has label name too long: '"
            + longName
            + "'");
    String longValue =
        "é".repeat(1025); // 2050 bytes in UTF-8: the limit counts bytes, as Go's len does
    expectLabels(
        pairs(Map.of("__name__", "process_cpu", "service_name", "svc", "v", longValue)),
        400,
        "has label value too long: '" + longValue + "'");
    expectLabels(
        List.of(
            label("__name__", "process_cpu"),
            label("service_name", "svc"),
            label("env", "a"),
            label("env", "b")),
        400,
        "profile with labels '{__name__=\"process_cpu\", env=\"a\", env=\"b\", service_name=\"svc\"}' has duplicate label name: 'env'");
    // A label with an empty value is a missing label to Pyroscope: __name__="" is no __name__.
    expectLabels(
        pairs(Map.of("__name__", "", "service_name", "svc")),
        400,
        "invalid labels '{service_name=\"svc\"}' with error: invalid metric name");
    expectLabels(
        List.of(label("__name__", "process_cpu"), label("service_name", "svc"), label("", "x")),
        400,
        "invalid labels '{=\"x\", __name__=\"process_cpu\", service_name=\"svc\"}' with error: invalid label name ''");
    // JSON can name a lone surrogate, which is no valid UTF-8 either.
    String loneSurrogate =
        "{\"series\":[{\"labels\":[{\"name\":\"__name__\",\"value\":\"process_cpu\"},"
            + "{\"name\":\"service_name\",\"value\":\"svc\\ud800\"}],"
            + "\"samples\":[{\"rawProfile\":\"CgA=\"}]}]}"; // 0a 00: a Profile with one empty
    // sample_type
    expect(
        post(
            port,
            PATH,
            loneSurrogate.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")),
        400,
        "invalid_argument",
        "invalid labels '{__name__=\"process_cpu\", service_name=\"svc\\xed\\xa0\\x80\"}' with error: invalid label value");

    // Invalid UTF-8 in a label cannot even be decoded as a PushRequest.
    byte[] invalidUtf8 = Profiles.push("svc", pprof, Map.of("env", "\u00ff")).toByteArray();
    int at = indexOf(invalidUtf8, new byte[] {(byte) 0xc3, (byte) 0xbf});
    invalidUtf8[at] = (byte) 0xff;
    expect(
        post(port, PATH, invalidUtf8, Map.of("Content-Type", "application/proto")),
        400,
        "invalid_argument",
        "unmarshal message");

    PushRequest noSamples =
        PushRequest.newBuilder()
            .addSeries(RawProfileSeries.newBuilder().addLabels(label("service_name", "svc")))
            .build();
    expect(
        post(port, PATH, noSamples.toByteArray(), Map.of("Content-Type", "application/proto")),
        400,
        "invalid_argument",
        "no profiles received");

    assertThat(gateway.broker().readAll(topic)).as("nothing stored").hasSize(before);
  }

  @Test
  void everyContentTypeAndEncodingIsStoredAsPlainProtobuf() throws IOException {
    PushRequest proto = Profiles.push("ct-proto", Profiles.jvmStacksPprof(1), Map.of());
    HttpResponse<String> r1 =
        post(
            port,
            PATH,
            proto.toByteArray(),
            Map.of("Content-Type", "application/proto", "Connect-Protocol-Version", "1"));
    assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
    assertThat(r1.headers().firstValue("Content-Type")).hasValue("application/proto");
    assertThat(r1.body()).isEmpty();
    assertStored("ct-proto", proto);

    PushRequest gzipped = Profiles.push("ct-proto-gzip", Profiles.jvmStacksPprof(1), Map.of());
    assertThat(
            post(
                    port,
                    PATH,
                    gzip(gzipped.toByteArray()),
                    Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip"))
                .statusCode())
        .isEqualTo(200);
    assertStored("ct-proto-gzip", gzipped);

    PushRequest json = Profiles.push("ct-json", Profiles.jvmStacksPprof(1), Map.of("env", "dev"));
    HttpResponse<String> r3 =
        post(
            port,
            PATH,
            JsonFormat.printer().print(json).getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
    assertThat(r3.statusCode()).as(r3.body()).isEqualTo(200);
    assertThat(r3.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r3.body()).isEqualTo("{}");
    assertStored("ct-json", json);

    PushRequest jsonCharset =
        Profiles.push("ct-json-charset", Profiles.jvmStacksPprof(1), Map.of());
    HttpResponse<String> r4 =
        post(
            port,
            PATH,
            gzip(JsonFormat.printer().print(jsonCharset).getBytes(StandardCharsets.UTF_8)),
            Map.of("Content-Type", "application/json; charset=utf-8", "Content-Encoding", "gzip"));
    assertThat(r4.statusCode()).as(r4.body()).isEqualTo(200);
    assertThat(r4.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertStored("ct-json-charset", jsonCharset);

    // The docs' example: proto field name raw_profile instead of rawProfile, and a field pyrogate
    // does not know.
    String b64 = java.util.Base64.getEncoder().encodeToString(Profiles.jvmStacksPprof(1));
    String docs =
        "{\"series\":[{\"labels\":[{\"name\":\"__name__\",\"value\":\"process_cpu\"},"
            + "{\"name\":\"service_name\",\"value\":\"ct-json-docs\"}],\"samples\":[{\"raw_profile\":\""
            + b64
            + "\"}],"
            + "\"futureField\":1}]}";
    assertThat(
            post(
                    port,
                    PATH,
                    docs.getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/json"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            PushRequest.parseFrom(storedValue("ct-json-docs"))
                .getSeries(0)
                .getSamples(0)
                .getRawProfile())
        .isEqualTo(ByteString.copyFrom(java.util.Base64.getDecoder().decode(b64)));
  }

  @Test
  void tenantAndAMissingServiceNameAreKeptAsSent() {
    PushRequest noService =
        PushRequest.newBuilder()
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addLabels(label("__name__", "process_cpu"))
                    .addLabels(label("env", "no-service"))
                    .addSamples(
                        RawSample.newBuilder()
                            .setRawProfile(ByteString.copyFrom(Profiles.jvmStacksPprof(1)))))
            .build();
    HttpResponse<String> r =
        post(
            port,
            PATH,
            noService.toByteArray(),
            Map.of("Content-Type", "application/proto", "X-Scope-OrgID", "squad-9"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ConsumerRecord<String, byte[]> record =
        gateway.broker().readAll(topic).stream()
            .filter(rec -> Arrays.equals(rec.value(), noService.toByteArray()))
            .findFirst()
            .orElseThrow();
    assertThat(record.key()).isEqualTo("squad-9/");
    assertThat(LegacyIngestTest.header(record, "x-scope-orgid")).isEqualTo("squad-9");
    assertThat(LegacyIngestTest.header(record, "pyrogate-kind")).isEqualTo("push");
  }

  @Test
  void pushAndIngestOverCleartextHttp2WithPriorKnowledgeAndWithUpgrade() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PushRequest prior = Profiles.push("h2c-prior", Profiles.jvmStacksPprof(1), Map.of());
      H2Response r1 = h2(vertx, false, PATH, "application/proto", prior.toByteArray());
      assertThat(r1.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r1.status()).as(r1.body()).isEqualTo(200);
      assertStored("h2c-prior", prior);

      PushRequest upgraded = Profiles.push("h2c-upgrade", Profiles.jvmStacksPprof(1), Map.of());
      H2Response r2 = h2(vertx, true, PATH, "application/proto", upgraded.toByteArray());
      assertThat(r2.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r2.status()).as(r2.body()).isEqualTo(200);
      assertStored("h2c-upgrade", upgraded);

      SdkPayloads.Body form = SdkPayloads.goPprofForm(Profiles.jvmStacksPprof(1), null);
      String query = "name=h2c-ingest.cpu&spyName=gospy";
      H2Response r3 = h2(vertx, false, "/ingest?" + query, form.contentType(), form.bytes());
      assertThat(r3.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r3.status()).as(r3.body()).isEqualTo(200);
      assertThat(gateway.broker().readAll(topic))
          .anySatisfy(
              rec -> {
                assertThat(LegacyIngestTest.header(rec, "pyrogate-query")).isEqualTo(query);
                assertThat(rec.value()).isEqualTo(form.bytes());
              });

      H2Response bad = h2(vertx, false, PATH, "text/plain", prior.toByteArray());
      assertThat(bad.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(bad.status()).isEqualTo(415);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pyroscope.delivered().stream()
                    .anyMatch(r -> "name=h2c-ingest.cpu&spyName=gospy".equals(r.query())));
  }

  private record H2Response(HttpVersion version, int status, String body) {}

  /**
   * One request with a Vert.x client speaking HTTP/2 in clear text: prior knowledge, or an HTTP/1.1
   * Upgrade.
   */
  private static H2Response h2(
      Vertx vertx, boolean upgrade, String uri, String contentType, byte[] body) throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(upgrade));
    try {
      return client
          .request(HttpMethod.POST, port, "127.0.0.1", uri)
          .compose(req -> req.putHeader("Content-Type", contentType).send(Buffer.buffer(body)))
          .compose(
              resp ->
                  resp.body()
                      .map(b -> new H2Response(resp.version(), resp.statusCode(), b.toString())))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  // --- helpers ---

  private static void assertStored(String service, PushRequest sent) {
    assertThat(storedValue(service)).isEqualTo(sent.toByteArray());
  }

  /**
   * The value of the one record whose key is {@code /service}: present as soon as the 200 was
   * received.
   */
  private static byte[] storedValue(String service) {
    List<ConsumerRecord<String, byte[]>> records =
        gateway.broker().readAll(topic).stream()
            .filter(r -> ("/" + service).equals(r.key()))
            .toList();
    assertThat(records).hasSize(1);
    assertThat(LegacyIngestTest.header(records.get(0), "content-type"))
        .isEqualTo("application/proto");
    return records.get(0).value();
  }

  private static void expectLabels(List<LabelPair> labels, int status, String message) {
    expect(pushLabels(labels, Profiles.jvmStacksPprof(1)), status, "invalid_argument", message);
  }

  private static HttpResponse<String> pushLabels(List<LabelPair> labels, byte[] pprof) {
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addAllLabels(labels)
                    .addSamples(RawSample.newBuilder().setRawProfile(ByteString.copyFrom(pprof))))
            .build();
    return post(port, PATH, request.toByteArray(), Map.of("Content-Type", "application/proto"));
  }

  private static List<LabelPair> pairs(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> label(e.getKey(), e.getValue())).toList();
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }

  private static void expect(
      HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new JsonObject(response.body()).getString("code"))
        .as(response.body())
        .isEqualTo(code);
    assertThat(message(response)).contains(message);
  }

  private static String message(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("message");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
