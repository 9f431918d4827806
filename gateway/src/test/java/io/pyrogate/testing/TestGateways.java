package io.pyrogate.testing;

import io.pyrogate.Gateway;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.WriteComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds configurations and gateways for tests: unique topics per test, the shared test broker,
 * requests to a gateway's ports.
 */
public final class TestGateways {
  /**
   * HTTP/1.1: with the JDK's default (HTTP/2 through an h2c upgrade), a GET of /metrics once its
   * answer outgrew one HTTP/2 frame (16 KiB) was seen to hang past its timeout.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestGateways() {}

  /** Kafka settings on the shared test broker with a topic prefix no other test uses. */
  public static KafkaSettings sharedKafka() {
    return TestKafka.handle().settings();
  }

  /** An endpoint with Alloy's defaults but short backoffs, so retries happen within a test. */
  public static Endpoint endpoint(String name, String url) {
    return Endpoint.defaults(name, URI.create(url))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 10);
  }

  /** One receive_http "default" on {@code ingestPort} forwarding to every given write. */
  public static GatewayConfig config(
      KafkaSettings kafka, int ingestPort, List<WriteComponent> writes) {
    return new GatewayConfig(
        kafka,
        List.of(
            new ReceiveHttpComponent(
                GatewayUnderTest.RECEIVER,
                ReceiveHttpComponent.HttpServerConfig.defaults().at("127.0.0.1", ingestPort),
                writes.stream().map(WriteComponent::label).toList())),
        writes);
  }

  public static Gateway start(GatewayConfig config) {
    return Gateway.start(config, options(tempDir()));
  }

  public static Gateway.Options options(Path storage) {
    return new Gateway.Options(storage, "127.0.0.1", 0, 2);
  }

  /** A storage directory deleted when the test JVM exits. */
  public static Path tempDir() {
    return TempDirs.create("pyrogate-test");
  }

  /**
   * A port that was free a moment ago, for the few tests that must know a port before anything
   * listens on it (another process is told it, a server comes back on it). It may be taken before
   * it is bound: everything else listens on port 0 and reports the port it bound.
   */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** POSTs to pyrogate's ingest port; returns the response with its body as text. */
  public static HttpResponse<String> post(
      int port, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  public static HttpResponse<String> get(int port, String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POSTs a push.v1 request as protobuf. */
  public static HttpResponse<String> push(int port, byte[] pushRequest) {
    return post(
        port,
        "/push.v1.PusherService/Push",
        pushRequest,
        Map.of("Content-Type", "application/proto"));
  }
}
