package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.pyroscope.PyroscopeHttp;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.FakeTokenServer;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The user info of an endpoint's URL ({@code https://user:password@host}, {@code
 * https://token@host}) goes out as Alloy's Go client sends it: {@code Authorization: Basic
 * base64(user:password)}, set before the round trippers of the other credentials, and never in the
 * request's URL.
 */
@KafkaTest
class UrlUserInfoTest {

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String withUserInfo(FakePyroscope pyroscope, String userInfo) {
    return pyroscope.url().replace("://", "://" + userInfo + "@");
  }

  /** Delivers one profile to the endpoint and returns the request the server received. */
  private static FakePyroscope.Request deliver(FakePyroscope pyroscope, String endpointBody) {
    try (EndpointHarness harness =
        new EndpointHarness(
            endpoint(endpointBody, Map.of()), EndpointClients.Settings.system(), List.of())) {
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      return pyroscope.delivered().get(0);
    }
  }

  @Test
  void userAndPasswordAreSentPercentDecodedAsBasicAndNotInTheUrl() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      FakePyroscope.Request sent =
          deliver(pyroscope, "url = \"" + withUserInfo(pyroscope, "123456:glc_p%40ss+w") + "\"");

      assertThat(sent.headers())
          .containsEntry("authorization", basic("123456:glc_p@ss+w"))
          .containsEntry("host", "127.0.0.1:" + pyroscope.port());
      assertThat(sent.path()).isEqualTo(PyroscopeHttp.PUSH_PATH);
    }
  }

  @Test
  void aTokenAloneIsTheUsernameWithAnEmptyPasswordAsInGo() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      FakePyroscope.Request sent =
          deliver(pyroscope, "url = \"" + withUserInfo(pyroscope, "glc_TOKEN") + "\"");

      assertThat(sent.headers()).containsEntry("authorization", basic("glc_TOKEN:"));
    }
  }

  @Test
  void theUserInfoWinsOverBearerTokenWhoseRoundTripperOnlyFillsAnEmptyAuthorization() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      FakePyroscope.Request sent =
          deliver(
              pyroscope,
              "url = \""
                  + withUserInfo(pyroscope, "user:pw")
                  + "\"\n"
                  + "bearer_token = \"the-bearer\"");

      assertThat(sent.headers()).containsEntry("authorization", basic("user:pw"));
    }
  }

  @Test
  void anOauth2TokenReplacesTheUserInfo() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        FakeTokenServer tokens = new FakeTokenServer()) {
      FakePyroscope.Request sent =
          deliver(
              pyroscope,
              "url = \""
                  + withUserInfo(pyroscope, "user:pw")
                  + "\"\n"
                  + "oauth2 {\n  client_id = \"id\"\n  client_secret = \"secret\"\n  token_url = \""
                  + tokens.url()
                  + "\"\n}");

      assertThat(sent.headers()).containsEntry("authorization", "Bearer tok-1");
    }
  }

  @Test
  void anAuthorizationInTheEndpointHeadersIsSentInsteadOfTheUserInfo() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      FakePyroscope.Request sent =
          deliver(
              pyroscope,
              "url = \""
                  + withUserInfo(pyroscope, "user:pw")
                  + "\"\n"
                  + "headers = { \"Authorization\" = \"Token from-headers\" }");

      assertThat(sent.headers()).containsEntry("authorization", "Token from-headers");
    }
  }

  @Test
  void anAuthorizationInHttpHeadersIsAddedAfterTheUserInfoAsGoDoes() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      FakePyroscope.Request sent =
          deliver(
              pyroscope,
              "url = \""
                  + withUserInfo(pyroscope, "user:pw")
                  + "\"\n"
                  + "http_headers = { \"Authorization\" = [\"Token from-http-headers\"] }");

      // FakePyroscope joins repeated headers with ", ", in the order they came.
      assertThat(sent.headers())
          .containsEntry("authorization", basic("user:pw") + ", Token from-http-headers");
    }
  }

  @Test
  void theBasicValueOfATokenAloneIsScrubbedFromWhatTheEndpointEchoes() {
    try (FakePyroscope pyroscope = new FakePyroscope().echoRequests(400);
        EndpointHarness harness =
            new EndpointHarness(
                endpoint("url = \"" + withUserInfo(pyroscope, "glc_TOKEN") + "\"", Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      harness.store(Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()));
      List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(1);

      String reason =
          new String(
              dead.get(0).headers().lastHeader(KafkaHeaders.DLQ_REASON).value(),
              StandardCharsets.UTF_8);
      assertThat(reason)
          .startsWith("HTTP 400: you sent POST")
          .contains("authorization")
          .doesNotContain(basic("glc_TOKEN:").substring("Basic ".length()))
          .doesNotContain("glc_TOKEN");
    }
  }
}
