package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {

  @Test
  void aPasswordInUserInfoIsMaskedAndTheUserStays() {
    assertThat(Redact.url("https://user:pw-hunter2@pyro:4040/base")).isEqualTo("https://user:***@pyro:4040/base");
  }

  @Test
  void aTokenAloneInUserInfoIsMaskedWhole() {
    assertThat(Redact.url("https://tok-hunter2@pyro:4040")).isEqualTo("https://***@pyro:4040");
    assertThat(Redact.url("https://tok%20hunter2@pyro")).isEqualTo("https://***@pyro");
  }

  @Test
  void aUrlThatIsNotAUriLosesEverythingBeforeItsAt() {
    assertThat(Redact.url("https://tok hunter2@pyro")).isEqualTo("***@pyro");
  }

  @Test
  void aUrlWithoutUserInfoIsUnchanged() {
    assertThat(Redact.url("https://pyro:4040/a@b")).isEqualTo("https://pyro:4040/a@b");
  }
}
