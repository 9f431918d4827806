package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.freePort;
import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.pyrogate.Gateway;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the answer Pyroscope would give, and nothing of it reaches Kafka. */
class PushIngestTest {
  private static final String PATH = "/push.v1.PusherService/Push";
  private static FakePyroscope pyroscope;
  private static Gateway gateway;
  private static KafkaSettings kafka;
  private static int port;

  @BeforeAll
  static void start() {
    pyroscope = new FakePyroscope();
    kafka = TestGateways.sharedKafka();
    port = freePort();
    gateway = TestGateways.start(config(kafka, port,
        List.of(new WriteComponent("w", List.of(endpoint("a", pyroscope.url())), Map.of()))));
  }

  @AfterAll
  static void stop() {
    gateway.stop();
    pyroscope.close();
  }

  @Test
  void badRequestsGetConnectErrorsAndNothingIsStored() throws IOException {
    byte[] valid = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();

    expect(post(port, PATH, valid, Map.of("Content-Type", "text/plain")), 415, "unknown", "unsupported content type");
    expect(post(port, PATH, Arrays.copyOf(valid, valid.length / 2), Map.of("Content-Type", "application/proto")),
        400, "invalid_argument", "unmarshal message");
    expect(post(port, PATH, new byte[0], Map.of("Content-Type", "application/proto")),
        400, "invalid_argument", "no profiles received");
    expect(post(port, PATH, valid, Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip")),
        400, "invalid_argument", "invalid gzip body");
    expect(post(port, PATH, valid, Map.of("Content-Type", "application/proto", "Content-Encoding", "br")),
        501, "unimplemented", "unknown compression");
    expect(post(port, PATH, valid, Map.of("Content-Type", "application/proto", "Connect-Protocol-Version", "2")),
        400, "invalid_argument", "connect-protocol-version");
    expect(post(port, PATH, new byte[KafkaDefaults.MAX_BODY_BYTES + 1], Map.of("Content-Type", "application/proto")),
        413, "resource_exhausted", "larger than the limit");
    expect(post(port, PATH, gzip(new byte[KafkaDefaults.MAX_BODY_BYTES + 1]),
        Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip")), 413, "resource_exhausted", "decompressed body larger");

    HttpResponse<String> get = TestGateways.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH)).GET().build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");

    // One good push afterwards: it is the only record in the topic.
    PushRequest good = Profiles.push("good", Profiles.jvmStacksPprof(1), Map.of());
    assertThat(TestGateways.push(port, good.toByteArray()).statusCode()).isEqualTo(200);
    var records = TestKafka.readAll(Topics.writeTopic(kafka, "w"));
    assertThat(records).hasSize(1);
    assertThat(records.get(0).value()).isEqualTo(good.toByteArray());
  }

  private static void expect(HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).contains("\"code\":\"" + code + "\"").contains(message);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
