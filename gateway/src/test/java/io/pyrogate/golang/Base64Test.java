package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Base64 gives the outputs of Go's encoding/base64 docs. */
class Base64Test {

  @Test
  void encodesAndDecodesBothAlphabets() {
    assertThat(Base64.encode("Hello, 世界", false)).isEqualTo("SGVsbG8sIOS4lueVjA==");
    assertThat(Base64.decode("SGVsbG8sIOS4lueVjA==", false)).isEqualTo("Hello, 世界");
    assertThat(Base64.encode("\u00fb\u00ff", true)).isEqualTo("w7vDvw==");
    assertThat(Base64.encode("??>", false)).isEqualTo("Pz8+");
    assertThat(Base64.encode("??>", true)).isEqualTo("Pz8-");
    assertThat(Base64.decode("SGVs\r\nbG8=", false)).isEqualTo("Hello"); // line breaks are skipped
  }

  @Test
  void rejectsUnpaddedOrForeignText() {
    assertThatThrownBy(() -> Base64.decode("SGVsbG8", false)).hasMessageContaining("multiple of 4");
    assertThatThrownBy(() -> Base64.decode("Pz8-", false))
        .hasMessage("the value is not valid base64");
    assertThatThrownBy(() -> Base64.decode("Pz8+", true))
        .hasMessage("the value is not valid URL-safe base64");
  }
}
