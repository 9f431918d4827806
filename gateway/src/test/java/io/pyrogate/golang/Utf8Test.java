package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Utf8 measures and checks strings as Go's len and unicode/utf8 do. */
class Utf8Test {

  @Test
  void lengthCountsUtf8Bytes() {
    assertThat(Utf8.length("abc")).isEqualTo(3);
    assertThat(Utf8.length("é")).isEqualTo(2);
    assertThat(Utf8.length("☺")).isEqualTo(3);
    assertThat(Utf8.length("\uD83D\uDE00")).isEqualTo(4);
    assertThat(Utf8.length("a\uD83D\uDE00é☺"))
        .isEqualTo("a\uD83D\uDE00é☺".getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void validityRejectsUnpairedSurrogatesAndMalformedBytes() {
    assertThat(Utf8.validString("a\uD83D\uDE00")).isTrue();
    assertThat(Utf8.validString("a\uD83D")).isFalse();
    assertThat(Utf8.validString("\uDE00a")).isFalse();
    assertThat(Utf8.valid("Hello, 世界".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Utf8.valid(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xfd})).isFalse();
    assertThat(Utf8.valid(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
        .isFalse(); // an encoded surrogate
  }
}
