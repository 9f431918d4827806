package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.golang.Url;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder().encodeToString("u:pw-hunter2".getBytes(StandardCharsets.UTF_8));

  @Test
  void aSentAuthorizationIsScrubbedWholeAsCredentialsAndAsBasicsDecodedPassword() {
    SecretScrubber s =
        new SecretScrubber(
            endpoint("url = \"http://pyro\"", Map.of()),
            () -> List.of(BASIC, "Bearer tok-hunter2"));
    assertThat(
            s.scrub("got " + BASIC + "; token tok-hunter2; user u:pw-hunter2, password pw-hunter2"))
        .isEqualTo("got (secret); token (secret); user (secret), password (secret)")
        .doesNotContain(BASIC.substring(6));
  }

  @Test
  void configuredSecretsAreScrubbedAsGivenAndPercentEncoded() {
    SecretScrubber s =
        new SecretScrubber(
            endpoint(
                "url = \"http://tok-hunter2@pyro\"\noauth2 {\n  client_id = \"id\"\n"
                    + "  client_secret = \"cs hunter2\"\n  token_url = \"http://auth\"\n  endpoint_params = { \"k\" = \"param-hunter2\" }\n}",
                Map.of()),
            List::of);
    assertThat(
            s.scrub(
                "tok-hunter2 cs hunter2 cs+hunter2 param-hunter2 "
                    + Base64.getEncoder()
                        .encodeToString("tok-hunter2".getBytes(StandardCharsets.UTF_8))))
        .doesNotContain("hunter2")
        .doesNotContain("dG9rLWh1bnRlcjI=");
  }

  @Test
  void aSecretIsScrubbedAsTheTokenRequestFormEncodesIt() {
    SecretScrubber s =
        new SecretScrubber(
            endpoint(
                "url = \"http://pyro\"\noauth2 {\n  client_id = \"id\"\n"
                    + "  client_secret = \"cs*hunter2~\"\n  token_url = \"http://auth\"\n}",
                Map.of()),
            List::of);
    String form =
        "client_secret=" + Url.queryEscape("cs*hunter2~"); // as Go's url.Values.Encode writes it
    assertThat(form).isEqualTo("client_secret=cs%2Ahunter2~");
    assertThat(s.scrub("token endpoint said: bad " + form))
        .isEqualTo("token endpoint said: bad client_secret=(secret)");
  }

  @Test
  void aTextCutInTheMiddleOfASecretLosesTheSecretsStart() {
    SecretScrubber s =
        new SecretScrubber(
            endpoint("url = \"http://pyro\"", Map.of()), () -> List.of("Bearer tok-hunter2"));
    assertThat(s.scrub("HTTP 400: you sent Bearer tok-hun…"))
        .isEqualTo("HTTP 400: you sent (secret)…");
    assertThat(s.scrub("HTTP 400: you sent tok…")).isEqualTo("HTTP 400: you sent tok…");
  }

  @Test
  void aFailureKeepsEverythingButItsReason() {
    SecretScrubber s =
        new SecretScrubber(
            endpoint("url = \"http://pyro\"", Map.of()), () -> List.of("Bearer tok-hunter2"));
    assertThat(s.scrub(new RetryPolicy.Failure(503, "unavailable", "5", "HTTP 503: tok-hunter2")))
        .isEqualTo(new RetryPolicy.Failure(503, "unavailable", "5", "HTTP 503: (secret)"));
  }
}
