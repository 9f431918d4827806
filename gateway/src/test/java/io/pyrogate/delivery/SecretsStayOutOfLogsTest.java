package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static io.pyrogate.delivery.TlsDeliveryTest.httpsServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.Endpoint;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.FakeTokenServer;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestPki;
import io.pyrogate.testing.TestProxy;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Failing token requests, a refused token, an unusable private key and a proxy refusing its
 * credentials all log warnings, dead-letter reasons and the endpoint's last error; none of them may
 * carry a secret, not even when the endpoint echoes the request's headers in its error answers.
 * Every secret here contains "hunter2".
 */
@KafkaTest
class SecretsStayOutOfLogsTest {
  private static final TestPki CA = TestPki.ca("test CA");
  private static final TestPki.Issued SERVER =
      CA.server("pyroscope", List.of(), List.of("127.0.0.1"));
  private static final String SECRET = "hunter2";
  private static final String BASIC_BASE64 =
      Base64.getEncoder()
          .encodeToString(("u:" + SECRET + "-basic").getBytes(StandardCharsets.UTF_8));

  @Test
  void noSecretInAnyLogLineOrDeadLetterReason() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    List<String> reasons = new ArrayList<>();
    try {
      oauth2Failures(reasons);
      unusableKey();
      proxyRefusingCredentials(reasons);
      echoingEndpoints(reasons);
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    // The failures were logged, so the check below looked at real lines.
    assertThat(logs)
        .contains("oauth2 token request to")
        .contains("HTTP 401 (invalid_client)")
        .contains("key_pem")
        .contains("407");
    assertThat(logs).doesNotContain(SECRET).doesNotContain(BASIC_BASE64);
    assertThat(reasons).isNotEmpty().noneMatch(r -> r.contains(SECRET) || r.contains(BASIC_BASE64));
  }

  /**
   * Endpoints that answer 400 with the request's headers in the body, one per kind of credentials.
   */
  private static void echoingEndpoints(List<String> reasons) {
    try (FakePyroscope pyroscope = new FakePyroscope().echoRequests(400);
        FakeTokenServer tokens = new FakeTokenServer().tokenPrefix(SECRET + "-token-")) {
      String url = pyroscope.url();
      String tokenOnlyUrl = url.replace("://", "://" + SECRET + "-userinfo@");
      List<String> credentials =
          List.of(
              "bearer_token = \"" + SECRET + "-bearer\"",
              "basic_auth {\n  username = \"u\"\n  password = \"" + SECRET + "-basic\"\n}",
              "authorization {\n  type = \"Token\"\n  credentials = \""
                  + SECRET
                  + "-credentials\"\n}",
              "oauth2 {\n  client_id = \"id\"\n  client_secret = \""
                  + SECRET
                  + "-client-secret\"\n  token_url = \""
                  + tokens.url()
                  + "\"\n  endpoint_params = { \"api_key\" = \""
                  + SECRET
                  + "-param\" }\n}",
              "http_headers = { \"X-Api-Key\" = [\""
                  + SECRET
                  + "-http-header\"] }\nheaders = { \"X-Auth-Token\" = \""
                  + SECRET
                  + "-header\" }");
      for (String c : credentials) {
        String target = c.startsWith("http_headers") ? tokenOnlyUrl : url;
        try (EndpointHarness harness =
            new EndpointHarness(
                endpoint("url = \"" + target + "\"\n" + c, Map.of()), QUIET, List.of())) {
          harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
          List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);
          assertThat(dead).hasSize(1);
          String reason = header(dead.get(0), KafkaHeaders.DLQ_REASON);
          assertThat(reason).startsWith("HTTP 400: you sent POST");
          reasons.add(reason);
        }
      }
      // The endpoint did see every secret, so it had them to echo.
      assertThat(pyroscope.received())
          .extracting(r -> r.headers().toString())
          .anyMatch(h -> h.contains(SECRET + "-bearer"))
          .anyMatch(h -> h.contains(BASIC_BASE64))
          .anyMatch(h -> h.contains(SECRET + "-credentials"))
          .anyMatch(h -> h.contains(SECRET + "-token-"))
          .anyMatch(h -> h.contains(SECRET + "-http-header") && h.contains(SECRET + "-header"));
    }
  }

  private static void oauth2Failures(List<String> reasons) {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(401, "unauthenticated");
        FakeTokenServer tokens =
            new FakeTokenServer().failWith(401).tokenPrefix(SECRET + "-token-");
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "min_backoff_period = \"20ms\"\nmax_backoff_period = \"100ms\"\nmax_backoff_retries = 0\n"
                        + "oauth2 {\n  client_id = \"id\"\n  client_secret = \""
                        + SECRET
                        + "-client-secret\"\n"
                        + "  token_url = \"http://user:"
                        + SECRET
                        + "-in-url@127.0.0.1:"
                        + tokenPort(tokens)
                        + "/oauth2/token\"\n"
                        + "  endpoint_params = { \"api_key\" = \""
                        + SECRET
                        + "-param\" }\n}",
                    Map.of()),
                QUIET,
                List.of())) {
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      // No token is no answer: once the endpoint is in outage, its WARN line carries the token
      // request's failure.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
      reasons.add(harness.health().lastError());
      tokens.failWith(0); // now tokens are issued, and refused by the endpoint
      List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);
      assertThat(dead).hasSize(1);
      reasons.add(header(dead.get(0), KafkaHeaders.DLQ_REASON));
      assertThat(pyroscope.received())
          .hasSize(2)
          .extracting(r -> r.headers().get("authorization"))
          .allMatch(a -> a.contains(SECRET + "-token-"));
    }
  }

  private static void unusableKey() {
    String brokenKey =
        "-----BEGIN PRIVATE KEY-----\n" + SECRET + "KeyMaterial\n-----END PRIVATE KEY-----\n";
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, CA));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n  cert_pem = sys.env(\"CERT\")\n  key_pem = sys.env(\"KEY\")\n}",
                    Map.of("CA", CA.certPem(), "CERT", SERVER.certPem(), "KEY", brokenKey)),
                QUIET,
                List.of())) {
      // Starting has logged why the key cannot be used.
      assertThat(harness).isNotNull();
    }
  }

  private static void proxyRefusingCredentials(List<String> reasons) {
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, null));
        TestProxy proxy = new TestProxy().requireAuthorization("Basic bm90OnRoaXM=")) {
      Endpoint e =
          endpoint(
              "url = \""
                  + pyroscope.url()
                  + "\"\nmax_backoff_retries = 2\nmin_backoff_period = \"20ms\"\n"
                  + "max_backoff_period = \"100ms\"\nproxy_url = \"http://pyro:"
                  + SECRET
                  + "-proxy@127.0.0.1:"
                  + proxy.port()
                  + "\"\n"
                  + "tls_config {\n  ca_pem = sys.env(\"CA\")\n}",
              Map.of("CA", CA.certPem()));
      try (EndpointHarness harness = new EndpointHarness(e, QUIET, List.of())) {
        harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
        // No connection through the proxy is no answer: the endpoint is in outage, and says why.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
        reasons.add(harness.health().lastError());
        assertThat(proxy.seen()).isNotEmpty();
      }
      assertThat(e.toString()).doesNotContain(SECRET);
    }
  }

  private static int tokenPort(FakeTokenServer tokens) {
    return java.net.URI.create(tokens.url()).getPort();
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Writes to the real stderr and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final ByteArrayOutputStream b;

    Tee(OutputStream a, ByteArrayOutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) {
      try {
        a.write(c);
      } catch (java.io.IOException ignored) {
        // the copy matters here
      }
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      try {
        a.write(buf, off, len);
      } catch (java.io.IOException ignored) {
        // the copy matters here
      }
      b.write(buf, off, len);
    }
  }
}
