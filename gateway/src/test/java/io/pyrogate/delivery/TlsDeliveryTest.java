package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.push;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestPki;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tls_config of an endpoint against real HTTPS servers on 127.0.0.1, with certificates made here.
 */
@KafkaTest
class TlsDeliveryTest {
  private static final TestPki SERVER_CA = TestPki.ca("pyroscope test CA");
  private static final TestPki CLIENT_CA = TestPki.ca("pyrogate clients CA");
  private static final TestPki OTHER_CA = TestPki.ca("someone else's CA");
  private static final TestPki.Issued SERVER =
      SERVER_CA.server("pyroscope", List.of("localhost"), List.of("127.0.0.1"));
  private static final TestPki.Issued CLIENT = CLIENT_CA.client("pyrogate-client");

  /** Only checks the endpoint's own settings: no file re-reads by the clock, no environment. */
  static final EndpointClients.Settings QUIET =
      new EndpointClients.Settings(name -> null, Duration.ofHours(1), System::currentTimeMillis);

  static HttpServerOptions httpsServer(TestPki.Issued certificate, TestPki trustedClients) {
    HttpServerOptions o =
        new HttpServerOptions()
            .setSsl(true)
            .setUseAlpn(true)
            .setSni(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(certificate.certPem()))
                    .addKeyValue(Buffer.buffer(certificate.keyPem())));
    if (trustedClients != null) {
      o.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(trustedClients.certPem())))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return o;
  }

  private static PushRequest profile(String service) {
    return Profiles.push(service, Profiles.jvmStacksPprof(1), Map.of());
  }

  @Test
  void mutualTlsWithCaCertificateAndKeyFilesThroughTheWholeGateway() throws IOException {
    Path dir = TestGateways.tempDir();
    Path ca = Files.writeString(dir.resolve("ca.crt"), SERVER_CA.certPem());
    Path[] client = CLIENT.writeTo(dir, "client");
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, CLIENT_CA))) {
      Endpoint e =
          endpoint(
              "url = \""
                  + pyroscope.url()
                  + "\"\ntls_config {\n  ca_file = \""
                  + ca
                  + "\"\n  cert_file = \""
                  + client[0]
                  + "\"\n  key_file = \""
                  + client[1]
                  + "\"\n}",
              Map.of());
      try (Gateway gateway =
          TestGateways.start(
              config(sharedKafka(), 0, List.of(new WriteComponent("w", List.of(e), Map.of()))))) {
        int port = gateway.ingestPort("default");
        PushRequest request = profile("svc");
        assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.delivered().get(0).body()).isEqualTo(request.toByteArray());
        assertThat(pyroscope.tlsSessions())
            .first()
            .satisfies(
                s -> {
                  assertThat(s.clientSubject()).isEqualTo("CN=pyrogate-client");
                  assertThat(s.protocol()).isEqualTo("TLSv1.3");
                });
      }
    }
  }

  @Test
  void mutualTlsWithInlinePem() {
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, CLIENT_CA));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n  cert_pem = sys.env(\"CERT\")\n  key_pem = sys.env(\"KEY\")\n}",
                    Map.of(
                        "CA",
                        SERVER_CA.certPem(),
                        "CERT",
                        CLIENT.certPem(),
                        "KEY",
                        CLIENT.keyPem())),
                QUIET,
                List.of())) {
      harness.store(profile("svc"));

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.tlsSessions())
          .extracting(FakePyroscope.TlsSession::clientSubject)
          .containsExactly("CN=pyrogate-client");
    }
  }

  @Test
  void aServerSignedByAnotherCaIsNeverTrustedAndTheProfileWaitsWithTheEndpointInOutage() {
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, null));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "min_backoff_period = \"20ms\"\nmax_backoff_period = \"100ms\"\nmax_backoff_retries = 3\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n}",
                    Map.of("CA", OTHER_CA.certPem())),
                QUIET,
                List.of())) {
      harness.store(profile("svc"));

      // No TLS connection is no answer: the profile is not dead-lettered, it waits for a trusted
      // server.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> harness.health().state() == EndpointHealth.State.OUTAGE);
      assertThat(harness.health().lastError()).contains("unable to find valid certification path");
      assertThat(harness.allDeadLetters()).isEmpty();
      assertThat(pyroscope.received()).isEmpty();
    }
  }

  @Test
  void minVersionTls13CannotTalkToAServerThatOnlyOffersTls12() {
    HttpServerOptions tls12Only = httpsServer(SERVER, null);
    tls12Only.setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.2"));
    try (FakePyroscope pyroscope = new FakePyroscope(tls12Only)) {
      String common =
          "url = \""
              + pyroscope.url()
              + "\"\nmin_backoff_period = \"20ms\"\nmax_backoff_period = \"100ms\"\n"
              + "max_backoff_retries = 2\n";
      Map<String, String> env = Map.of("CA", SERVER_CA.certPem());
      try (EndpointHarness tls13 =
          new EndpointHarness(
              endpoint(
                  common
                      + "tls_config {\n  ca_pem = sys.env(\"CA\")\n"
                      + "  min_version = \"TLS13\"\n}",
                  env),
              QUIET,
              List.of())) {
        tls13.store(profile("svc"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> tls13.health().state() == EndpointHealth.State.OUTAGE);
        assertThat(tls13.health().lastError()).contains("protocol_version");
        assertThat(pyroscope.received()).isEmpty();
      }
      // The same server is fine for the default minimum, TLS 1.2.
      try (EndpointHarness tls12 =
          new EndpointHarness(
              endpoint(common + "tls_config {\n  ca_pem = sys.env(\"CA\")\n}", env),
              QUIET,
              List.of())) {
        tls12.store(profile("svc"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.tlsSessions())
            .extracting(FakePyroscope.TlsSession::protocol)
            .containsExactly("TLSv1.2");
      }
    }
  }

  @Test
  void serverNameIsSentAsSniAndTheCertificateIsVerifiedAgainstIt() {
    TestPki.Issued onlyForItsName =
        SERVER_CA.server("pyroscope.internal", List.of("pyroscope.internal"), List.of());
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(onlyForItsName, null))) {
      String common =
          "url = \""
              + pyroscope.url()
              + "\"\nmin_backoff_period = \"20ms\"\nmax_backoff_period = \"100ms\"\n"
              + "max_backoff_retries = 2\n";
      Map<String, String> env = Map.of("CA", SERVER_CA.certPem());
      try (EndpointHarness withName =
          new EndpointHarness(
              endpoint(
                  common
                      + "tls_config {\n  ca_pem = sys.env(\"CA\")\n"
                      + "  server_name = \"pyroscope.internal\"\n}",
                  env),
              QUIET,
              List.of())) {
        withName.store(profile("svc"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.tlsSessions())
            .extracting(FakePyroscope.TlsSession::serverName)
            .containsExactly("pyroscope.internal");
        // The connection and the Host header are the URL's, as with Go's tls.Config.ServerName.
        assertThat(pyroscope.delivered().get(0).headers())
            .containsEntry("host", "127.0.0.1:" + pyroscope.port());
      }
      // Verified against the URL's host instead, the certificate does not match.
      try (EndpointHarness withoutName =
          new EndpointHarness(
              endpoint(common + "tls_config {\n  ca_pem = sys.env(\"CA\")\n}", env),
              QUIET,
              List.of())) {
        withoutName.store(profile("svc"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> withoutName.health().state() == EndpointHealth.State.OUTAGE);
        assertThat(withoutName.health().lastError())
            .contains("No subject alternative names matching IP address 127.0.0.1");
        assertThat(pyroscope.received()).hasSize(1);
      }
    }
  }

  @Test
  void insecureSkipVerifyAcceptsAnUnknownCertificateForAnotherName() {
    TestPki.Issued stranger = OTHER_CA.server("elsewhere", List.of("elsewhere.example"), List.of());
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(stranger, null));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "tls_config {\n  insecure_skip_verify = true\n}",
                    Map.of()),
                QUIET,
                List.of())) {
      harness.store(profile("svc"));

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
    }
  }

  @Test
  void certificateFilesAreReadAgainBeforeTheAttemptAfterAFailure() throws IOException {
    Path dir = TestGateways.tempDir();
    TestPki.Issued untrusted = OTHER_CA.client("pyrogate-client");
    Path[] files = untrusted.writeTo(dir, "client");
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, CLIENT_CA));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "min_backoff_period = \"50ms\"\nmax_backoff_period = \"200ms\"\nmax_backoff_retries = 0\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n  cert_file = \""
                        + files[0]
                        + "\"\n  key_file = \""
                        + files[1]
                        + "\"\n}",
                    Map.of("CA", SERVER_CA.certPem())),
                QUIET,
                List.of())) {
      harness.store(profile("svc"));
      // The certificate read at start is refused by the server; a renewed one replaces it (QUIET:
      // no periodic re-read).
      CLIENT.writeTo(dir, "client");

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.tlsSessions())
          .extracting(FakePyroscope.TlsSession::clientSubject)
          .containsExactly("CN=pyrogate-client");
    }
  }

  @Test
  void rotatedCertificateFilesAreUsedForNewConnectionsAfterThePeriodicCheck() throws IOException {
    Path dir = TestGateways.tempDir();
    Path[] files = CLIENT.writeTo(dir, "client");
    EndpointClients.Settings checkOften =
        new EndpointClients.Settings(
            name -> null, Duration.ofMillis(100), System::currentTimeMillis);
    try (FakePyroscope pyroscope = new FakePyroscope(httpsServer(SERVER, CLIENT_CA));
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \""
                        + pyroscope.url()
                        + "\"\n"
                        + "tls_config {\n  ca_pem = sys.env(\"CA\")\n  cert_file = \""
                        + files[0]
                        + "\"\n  key_file = \""
                        + files[1]
                        + "\"\n}",
                    Map.of("CA", SERVER_CA.certPem())),
                checkOften,
                List.of())) {
      harness.store(profile("first"));
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.tlsSessions())
          .extracting(FakePyroscope.TlsSession::clientSubject)
          .containsExactly("CN=pyrogate-client");

      CLIENT_CA.client("pyrogate-client-renewed").writeTo(dir, "client");

      // Each probe is one more profile; once the check ran, it goes out on a new connection with
      // the new certificate.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                int before = pyroscope.delivered().size();
                harness.store(profile("probe"));
                await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> pyroscope.delivered().size() > before);
                List<FakePyroscope.TlsSession> sessions = pyroscope.tlsSessions();
                return sessions
                    .get(sessions.size() - 1)
                    .clientSubject()
                    .equals("CN=pyrogate-client-renewed");
              });
    }
  }
}
