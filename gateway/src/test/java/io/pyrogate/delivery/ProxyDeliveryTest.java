package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static io.pyrogate.delivery.TlsDeliveryTest.httpsServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestPki;
import io.pyrogate.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoints reached through a real HTTP proxy on 127.0.0.1 that records what it was asked. */
@KafkaTest
class ProxyDeliveryTest {
  private static final TestPki CA = TestPki.ca("pyroscope test CA");
  private static final TestPki.Issued SERVER =
      CA.server("pyroscope", List.of("pyroscope.test"), List.of("127.0.0.1"));

  private static PushRequest profile() {
    return Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anHttpsEndpointIsReachedThroughACONNECTTunnelWithTheProxyUrlsCredentials() {
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, null));
        TestProxy proxy = new TestProxy().requireAuthorization(basic("pyro", "p@ss:word"));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \"https://pyroscope.test:"
                        + pyroscope.port()
                        + "\"\n"
                        + "proxy_url = \"http://pyro:p%40ss%3Aword@127.0.0.1:"
                        + proxy.port()
                        + "\"\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n}",
                    Map.of("CA", CA.certPem())),
                QUIET,
                List.of())) {
      PushRequest request = profile();
      harness.store(request);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.delivered().get(0).body()).isEqualTo(request.toByteArray());
      // The proxy resolved the name (the harness's Vert.x could not: pyroscope.test is in no hosts
      // list of it).
      assertThat(proxy.seen())
          .extracting(TestProxy.Seen::method, TestProxy.Seen::target)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("CONNECT", "pyroscope.test:" + pyroscope.port()));
      assertThat(pyroscope.tlsSessions())
          .extracting(FakePyroscope.TlsSession::serverName)
          .containsExactly("pyroscope.test");
    }
  }

  @Test
  void anHttpEndpointIsForwardedByTheProxyWithAProxyAuthorizationConnectHeader() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        TestProxy proxy = new TestProxy().requireAuthorization(basic("svc", "hunter2"));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \"http://pyroscope.test:"
                        + pyroscope.port()
                        + "\"\n"
                        + "proxy_url = \""
                        + proxy.url()
                        + "\"\n"
                        + "proxy_connect_header = { \"Proxy-Authorization\" = [\""
                        + basic("svc", "hunter2")
                        + "\"] }",
                    Map.of()),
                QUIET,
                List.of())) {
      harness.store(profile());

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(proxy.seen())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.method()).isEqualTo("POST");
                assertThat(s.target())
                    .isEqualTo(
                        "http://pyroscope.test:"
                            + pyroscope.port()
                            + "/push.v1.PusherService/Push");
              });
      // The proxy's credentials stop at the proxy.
      assertThat(pyroscope.delivered().get(0).headers()).doesNotContainKey("proxy-authorization");
    }
  }

  @Test
  void hostsInNoProxyGoDirectAndOthersThroughTheProxy() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        TestProxy proxy = new TestProxy()) {
      String common =
          "url = \"http://pyroscope.test:"
              + pyroscope.port()
              + "\"\nproxy_url = \""
              + proxy.url()
              + "\"\n";
      try (EndpointHarness direct =
          new EndpointHarness(
              endpoint(common + "no_proxy = \"10.0.0.0/8, .test\"", Map.of()),
              QUIET,
              List.of("pyroscope.test"))) {
        direct.store(profile());
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(proxy.seen()).isEmpty();
      }
      try (EndpointHarness proxied =
          new EndpointHarness(
              endpoint(common + "no_proxy = \"10.0.0.0/8, other.test\"", Map.of()),
              QUIET,
              List.of("pyroscope.test"))) {
        proxied.store(profile());
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 2);
        assertThat(proxy.seen())
            .extracting(TestProxy.Seen::target)
            .containsExactly(
                "http://pyroscope.test:" + pyroscope.port() + "/push.v1.PusherService/Push");
      }
    }
  }

  @Test
  void proxyFromEnvironmentUsesTheVariableOfTheEndpointsSchemeAndHonoursNoProxy() {
    try (FakePyroscope plain = new FakePyroscope();
        FakePyroscope tls = new FakePyroscope(httpsServer(SERVER, null));
        TestProxy httpProxy = new TestProxy();
        TestProxy httpsProxy = new TestProxy()) {
      Map<String, String> env =
          Map.of(
              "http_proxy",
              httpProxy.url(),
              "HTTPS_PROXY",
              "127.0.0.1:" + httpsProxy.port(),
              "NO_PROXY",
              "skipped.test");
      EndpointClients.Settings settings =
          new EndpointClients.Settings(env::get, Duration.ofHours(1), System::currentTimeMillis);
      String fromEnv =
          "\nproxy_from_environment = true\ntls_config {\n  ca_pem = sys.env(\"CA\")\n}";
      Map<String, String> config = Map.of("CA", CA.certPem());
      try (EndpointHarness http =
              new EndpointHarness(
                  endpoint(
                      "url = \"http://pyroscope.test:" + plain.port() + "\"" + fromEnv, config),
                  settings,
                  List.of());
          EndpointHarness https =
              new EndpointHarness(
                  endpoint("url = \"https://pyroscope.test:" + tls.port() + "\"" + fromEnv, config),
                  settings,
                  List.of());
          EndpointHarness skipped =
              new EndpointHarness(
                  endpoint("url = \"http://skipped.test:" + plain.port() + "\"" + fromEnv, config),
                  settings,
                  List.of("skipped.test"))) {
        http.store(profile());
        https.store(profile());
        skipped.store(profile());

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> plain.delivered().size() == 2 && tls.delivered().size() == 1);
        assertThat(httpProxy.seen())
            .extracting(TestProxy.Seen::method, TestProxy.Seen::target)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                    "POST",
                    "http://pyroscope.test:" + plain.port() + "/push.v1.PusherService/Push"));
        assertThat(httpsProxy.seen())
            .extracting(TestProxy.Seen::method, TestProxy.Seen::target)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("CONNECT", "pyroscope.test:" + tls.port()));
      }
    }
  }
}
