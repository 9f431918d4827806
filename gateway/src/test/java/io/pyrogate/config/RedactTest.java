package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactTest {

  @Test
  void aPasswordInUserInfoIsMaskedAndTheUserStays() {
    assertThat(Redact.url("https://user:pw-hunter2@pyro:4040/base"))
        .isEqualTo("https://user:***@pyro:4040/base");
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

  @Test
  void aSecretIsMaskedWhereItIsAWholeStringLiteralAndNowhereElse() {
    String source = "  password = \"p\"\n  partitions = 0\n  token = `hunter2` // hunter2\n";
    assertThat(Redact.source(source, List.of("p", "hunter2")))
        .isEqualTo("  password = \"*\"\n  partitions = 0\n  token = `*******` // hunter2\n");
  }
}
