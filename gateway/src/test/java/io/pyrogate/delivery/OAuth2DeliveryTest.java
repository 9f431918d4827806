package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.httpsServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.FakeTokenServer;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** oauth2 client credentials against a fake token endpoint, with the clock in the test's hands. */
@KafkaTest
class OAuth2DeliveryTest {
  private static final TestPki CA = TestPki.ca("token server CA");
  private static final TestPki.Issued TOKEN_SERVER =
      CA.server("auth", List.of(), List.of("127.0.0.1"));

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final EndpointClients.Settings clock =
      new EndpointClients.Settings(name -> null, Duration.ofHours(1), now::get);

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String oauth2Endpoint(FakePyroscope pyroscope, String oauth2Body) {
    return "url = \""
        + pyroscope.url()
        + "\"\nmin_backoff_period = \"20ms\"\nmax_backoff_period = \"100ms\"\n"
        + "max_backoff_retries = 0\noauth2 {\n"
        + oauth2Body
        + "\n}";
  }

  private void store(EndpointHarness harness) {
    harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
  }

  @Test
  void aTokenIsFetchedAsGoDoesOverTheBlocksOwnTlsAndReusedWhileValid() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens =
            new FakeTokenServer(httpsServer(TOKEN_SERVER, null)).expiresIn(3600);
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        """
             client_id = "pyro id"
             client_secret = "s3cr&t"
             scopes = ["profiles:write", "openid"]
             token_url = "%s"
             endpoint_params = { "audience" = "pyroscope" }
             tls_config {
               ca_pem = sys.env("CA")
             }
             """
                            .formatted(tokens.url())),
                    Map.of("CA", CA.certPem())),
                clock,
                List.of())) {
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      store(harness); // after the first was delivered, so not in the same batch: a second request,
      // same token
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 2);
      assertThat(pyroscope.delivered())
          .extracting(r -> r.headers().get("authorization"))
          .containsOnly("Bearer tok-1");
      assertThat(tokens.requests())
          .singleElement()
          .satisfies(
              t -> {
                // id and secret form-encoded before Basic, as Go's oauth2 does
                assertThat(t.authorization()).isEqualTo(basic("pyro+id:s3cr%26t"));
                assertThat(t.contentType()).isEqualTo("application/x-www-form-urlencoded");
                assertThat(t.form())
                    .isEqualTo(
                        Map.of(
                            "grant_type",
                            "client_credentials",
                            "scope",
                            "profiles:write openid",
                            "audience",
                            "pyroscope"));
              });
    }
  }

  @Test
  void aTokenIsRefreshedTenSecondsBeforeItExpires() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens = new FakeTokenServer().expiresIn(60);
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        "client_id = \"id\"\nclient_secret = \"secret\"\ntoken_url = \""
                            + tokens.url()
                            + "\""),
                    Map.of()),
                clock,
                List.of())) {
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);

      now.addAndGet(49_000); // 11 s left: still used
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 2);
      assertThat(tokens.requests()).hasSize(1);

      now.addAndGet(2_000); // 9 s left: replaced
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 3);
      assertThat(tokens.requests()).hasSize(2);
      assertThat(pyroscope.delivered())
          .extracting(r -> r.headers().get("authorization"))
          .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }
  }

  @Test
  void a401RenewsTheTokenOnceAndSendsAgainAtOnce() {
    try (FakePyroscope pyroscope = new FakePyroscope().failNext(1, 401);
        FakeTokenServer tokens = new FakeTokenServer();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        "client_id = \"id\"\nclient_secret = \"secret\"\ntoken_url = \""
                            + tokens.url()
                            + "\""),
                    Map.of()),
                clock,
                List.of())) {
      store(harness);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.received())
          .extracting(FakePyroscope.Request::answered)
          .containsExactly(401, 200);
      assertThat(pyroscope.received())
          .extracting(r -> r.headers().get("authorization"))
          .containsExactly("Bearer tok-1", "Bearer tok-2");
      assertThat(tokens.requests()).hasSize(2);
    }
  }

  @Test
  void aTokenTheEndpointKeepsRefusingIsRenewedOnlyOnceThenTheProfileIsDeadLettered() {
    try (FakePyroscope pyroscope = new FakePyroscope().respondWith(401, "unauthenticated");
        FakeTokenServer tokens = new FakeTokenServer();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        "client_id = \"id\"\nclient_secret = \"secret\"\ntoken_url = \""
                            + tokens.url()
                            + "\""),
                    Map.of()),
                clock,
                List.of())) {
      store(harness);

      List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);
      assertThat(dead).hasSize(1);
      assertThat(
              new String(
                  dead.get(0).headers().lastHeader(KafkaHeaders.DLQ_STATUS).value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("401");
      assertThat(pyroscope.received()).hasSize(2);
      assertThat(tokens.requests()).hasSize(2);
    }
  }

  @Test
  void aRotatedClientSecretFileIsReadAtUseAndGetsANewTokenAtOnce() throws Exception {
    Path secret =
        Files.writeString(TestGateways.tempDir().resolve("client-secret"), "secret-one\n");
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens = new FakeTokenServer();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        "client_id = \"id\"\nclient_secret_file = \""
                            + secret
                            + "\"\ntoken_url = \""
                            + tokens.url()
                            + "\""),
                    Map.of()),
                clock,
                List.of())) {
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);

      Files.writeString(secret, "rotated-secret-two");
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 2);

      assertThat(tokens.requests())
          .extracting(FakeTokenServer.TokenRequest::authorization)
          .containsExactly(basic("id:secret-one"), basic("id:rotated-secret-two"));
      assertThat(pyroscope.delivered())
          .extracting(r -> r.headers().get("authorization"))
          .containsExactly("Bearer tok-1", "Bearer tok-2");
    }
  }

  @Test
  void whileNoTokenCanBeHadNothingIsSentAndTheProfileWaits() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens = new FakeTokenServer().failWith(401);
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                        pyroscope,
                        "client_id = \"id\"\nclient_secret = \"secret\"\ntoken_url = \""
                            + tokens.url()
                            + "\""),
                    Map.of()),
                clock,
                List.of())) {
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> tokens.requests().size() >= 3);
      assertThat(pyroscope.received()).isEmpty();

      tokens.failWith(0);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.received())
          .extracting(r -> r.headers().get("authorization"))
          .containsExactly("Bearer tok-1");
    }
  }

  @Test
  void
      theTokenReplacesAnAuthorizationOfHeadersAndHttpHeadersAsGoOauth2TransportSetsItUnconditionally() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens = new FakeTokenServer();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    oauth2Endpoint(
                            pyroscope,
                            "client_id = \"id\"\nclient_secret = \"secret\"\ntoken_url = \""
                                + tokens.url()
                                + "\"")
                        + "\nheaders = { \"Authorization\" = \"Token from-headers\" }"
                        + "\nhttp_headers = { \"Authorization\" = [\"Token from-http-headers\"] }",
                    Map.of()),
                clock,
                List.of())) {
      store(harness);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.delivered())
          .extracting(r -> r.headers().get("authorization"))
          .containsExactly("Bearer tok-1");
    }
  }
}
