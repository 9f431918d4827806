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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every body format of the legacy {@code /ingest} API, sent as the SDKs send it, is stored in Kafka
 * exactly as received (kind ingest, with its query string and Content-Type) and delivered to the
 * endpoint's {@code /ingest} with the same query, Content-Type and bytes.
 */
@GatewayTest
class LegacyIngestTest {
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
  void rawPprof() {
    String query =
        "name="
            + name("checkout.cpu")
            + "&from=1700000000&until=1700000010&format=pprof&spyName=pyspy"
            + "&sampleRate=100&units=samples&aggregationType=sum";
    storedAndDelivered("/ingest", query, "binary/octet-stream", Profiles.jvmStacksPprof(2), null);
  }

  @Test
  void rawJfr() {
    String query =
        "name=" + name("app") + "&from=1700000000&until=1700000010&format=jfr&spyName=javaspy";
    storedAndDelivered(
        "/ingest", query, "application/octet-stream", SdkPayloads.jfrRecording(), null);
  }

  @Test
  void jfrFormAsTheJavaAgentSendsItWithLabelsAndTenant() {
    long now = System.currentTimeMillis() / 1000;
    SdkPayloads.Body body =
        SdkPayloads.javaJfrForm(
            SdkPayloads.gzipFast(SdkPayloads.jfrRecording()),
            SdkPayloads.gzipFast(SdkPayloads.jfrLabels()));
    String query =
        SdkPayloads.javaQuery(
            "shop-api{env=prod,otel.scope.name=com.grafana.pyroscope/java,test="
                + UUID.randomUUID()
                + "}",
            now - 10,
            now);
    storedAndDelivered("/ingest", query, body.contentType(), body.bytes(), "squad-1");
  }

  @Test
  void jfrFormWithoutLabelsPart() {
    long now = System.currentTimeMillis() / 1000;
    SdkPayloads.Body body =
        SdkPayloads.javaJfrForm(SdkPayloads.gzipFast(SdkPayloads.jfrRecording()), null);
    storedAndDelivered(
        "/ingest",
        SdkPayloads.javaQuery(unique("shop-api"), now - 10, now),
        body.contentType(),
        body.bytes(),
        null);
  }

  @Test
  void pprofFormAsPyroscopeGoSendsIt() {
    long now = System.currentTimeMillis() * 1_000_000L;
    SdkPayloads.Body body =
        SdkPayloads.goPprofForm(
            Profiles.jvmStacksPprof(1),
            "{\"samples\":{\"units\":\"samples\",\"display-name\":\"cpu_samples\"},"
                + "\"cpu\":{\"units\":\"nanoseconds\",\"aggregation\":\"sum\",\"sampled\":true}}");
    String query =
        SdkPayloads.goQuery(
            "ride-sharing-app.cpu{__session_id__=9f1c2e5d7a3b4c60,region=eu-north,test="
                + UUID.randomUUID()
                + "}",
            now - 15_000_000_000L,
            now);
    storedAndDelivered("/ingest", query, body.contentType(), body.bytes(), "squad-2");
  }

  @Test
  void pprofFormAsPyroscopeNodejsSendsItToThePyroscopePrefixedRoute() {
    long now = System.currentTimeMillis() / 1000;
    SdkPayloads.Body body = SdkPayloads.nodejsPprofForm(Profiles.jvmStacksPprof(1));
    storedAndDelivered(
        "/pyroscope/ingest",
        SdkPayloads.nodejsQuery(unique("node-app.wall"), now - 60, now),
        body.contentType(),
        body.bytes(),
        null);
  }

  @Test
  void foldedText() {
    String query =
        "name="
            + name("app.cpu")
            + "&from=1700000000&until=1700000010&sampleRate=100&spyName=rbspy";
    storedAndDelivered(
        "/ingest",
        query,
        "text/plain",
        "foo;bar 100\nfoo;baz 200\n".getBytes(StandardCharsets.UTF_8),
        null);
  }

  @Test
  void foldedTextWithoutContentTypeIsStoredAsBinaryOctetStream() {
    String query =
        "name=" + name("app.alloc_space") + "&format=folded&units=bytes&aggregationType=sum";
    byte[] body = "main;alloc 4096\nmain;grow;alloc 8192\n".getBytes(StandardCharsets.UTF_8);
    send("/ingest", query, null, body, null);
    ConsumerRecord<String, byte[]> record = storedRecord(query);
    assertThat(header(record, "content-type")).isEqualTo("binary/octet-stream");
    FakePyroscope.Request delivered = delivered(query);
    assertThat(delivered.headers()).containsEntry("content-type", "binary/octet-stream");
    assertThat(delivered.body()).isEqualTo(body);
  }

  @Test
  void lines() {
    String query = "name=" + name("app.wall") + "&format=lines&from=now-10s&until=now";
    storedAndDelivered(
        "/ingest",
        query,
        "text/plain",
        "foo;bar\nfoo;baz\nfoo;bar\n".getBytes(StandardCharsets.UTF_8),
        null);
  }

  @Test
  void trieByContentTypeAndTreeByFormat() {
    byte[] opaque = {0x01, 0x03, 'f', 'o', 'o', 0x02, 0x00, 0x05, 0x7f, (byte) 0x80, (byte) 0xff};
    storedAndDelivered(
        "/ingest",
        "name=" + name("app.cpu") + "&from=1700000000",
        "binary/octet-stream+trie",
        opaque,
        null);
    storedAndDelivered(
        "/ingest", "name=" + name("app.cpu") + "&format=tree", "binary/octet-stream", opaque, null);
  }

  @Test
  void speedscope() {
    String json =
        "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"shared\":{\"frames\":"
            + "[{\"name\":\"main\"},{\"name\":\"work\"}]},\"profiles\":[{\"type\":\"sampled\",\"name\":\"p\",\"unit\":\"none\","
            + "\"startValue\":0,\"endValue\":2,\"samples\":[[0,1],[0]],\"weights\":[1,1]}]}";
    storedAndDelivered(
        "/ingest",
        "name=" + name("app") + "&format=speedscope",
        "application/json",
        json.getBytes(StandardCharsets.UTF_8),
        null);
  }

  @Test
  void aBodyOfExactlyTheLimitIsStored() {
    byte[] body = new byte[KafkaDefaults.MAX_BODY_BYTES];
    byte[] line = "frame;frame;frame 1\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < body.length; i++) {
      body[i] = line[i % line.length];
    }
    String query = "name=" + name("big.cpu");
    send("/ingest", query, "text/plain", body, null);
    assertThat(storedRecord(query).value()).isEqualTo(body);
  }

  @Test
  void aClientThatAsksToContinueBeforeSendingItsBodyIsServed() throws Exception {
    String query = "name=" + name("continue.cpu");
    byte[] body = "a;b 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/ingest?" + query))
                    .expectContinue(true)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(storedRecord(query).value()).isEqualTo(body);
  }

  // --- helpers ---

  /**
   * A name unique to one request, so its record and delivery can be told apart from the others'.
   */
  private static String unique(String app) {
    return app + "{env=test,test=" + UUID.randomUUID() + "}";
  }

  /** {@link #unique} as a query value. */
  private static String name(String app) {
    return SdkPayloads.encode(unique(app));
  }

  private static void storedAndDelivered(
      String path, String query, String contentType, byte[] body, String tenant) {
    send(path, query, contentType, body, tenant);

    ConsumerRecord<String, byte[]> record = storedRecord(query);
    assertThat(record.value()).as("stored value").isEqualTo(body);
    assertThat(header(record, "pyrogate-kind")).isEqualTo("ingest");
    assertThat(header(record, "content-type")).isEqualTo(contentType);
    assertThat(header(record, "x-scope-orgid")).isEqualTo(tenant);
    assertThat(header(record, "content-encoding")).isNull();
    assertThat(record.key()).startsWith((tenant == null ? "" : tenant) + "/");

    FakePyroscope.Request delivered = delivered(query);
    assertThat(delivered.method()).isEqualTo("POST");
    assertThat(delivered.path()).isEqualTo("/ingest");
    assertThat(delivered.headers()).containsEntry("content-type", contentType);
    if (tenant != null) {
      assertThat(delivered.headers()).containsEntry("x-scope-orgid", tenant);
    } else {
      assertThat(delivered.headers()).doesNotContainKey("x-scope-orgid");
    }
    assertThat(delivered.body()).as("delivered body").isEqualTo(body);
  }

  private static void send(
      String path, String query, String contentType, byte[] body, String tenant) {
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    if (tenant != null) {
      headers.put("X-Scope-OrgID", tenant);
    }
    HttpResponse<String> response = post(port, path + "?" + query, body, headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  /**
   * The one record stored for the request with this query; it is there as soon as the 200 was
   * received.
   */
  private static ConsumerRecord<String, byte[]> storedRecord(String query) {
    List<ConsumerRecord<String, byte[]>> records =
        gateway.broker().readAll(topic).stream()
            .filter(r -> query.equals(header(r, "pyrogate-query")))
            .toList();
    assertThat(records).as("records stored for " + query).hasSize(1);
    return records.get(0);
  }

  private static FakePyroscope.Request delivered(String query) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pyroscope.delivered().stream().anyMatch(r -> query.equals(r.query())));
    List<FakePyroscope.Request> matching =
        pyroscope.delivered().stream().filter(r -> query.equals(r.query())).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
