package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Strconv gives the outputs of Go's strconv docs and quote_test.go. */
class StrconvTest {

  @Test
  void quoteKeepsPrintableCharactersAndEscapesTheRest() {
    assertThat(Strconv.quote("\"Fran & Freddie's Diner\t☺\""))
        .isEqualTo("\"\\\"Fran & Freddie's Diner\\t☺\\\"\"");
    assertThat(Strconv.quote("☺\n")).isEqualTo("\"☺\\n\"");
    assertThat(Strconv.quote("\u0007\b\f\r\n\t\u000b")).isEqualTo("\"\\a\\b\\f\\r\\n\\t\\v\"");
    assertThat(Strconv.quote("\\")).isEqualTo("\"\\\\\"");
    assertThat(Strconv.quote("\u263a")).isEqualTo("\"☺\"");
    assertThat(Strconv.quote("\udbff\udfff")).isEqualTo("\"\\U0010ffff\"");
    assertThat(Strconv.quote("\u0004")).isEqualTo("\"\\x04\"");
    assertThat(Strconv.quote("\u007f")).isEqualTo("\"\\x7f\"");
    assertThat(Strconv.quote("!\u00a0!\u2000!\u3000!")).isEqualTo("\"!\\u00a0!\\u2000!\\u3000!\"");
    assertThat(Strconv.quote("'")).isEqualTo("\"'\"");
  }

  @Test
  void quoteWritesALoneSurrogateAsTheBytesGoWouldHold() {
    // Go quotes invalid UTF-8 byte by byte: strconv.Quote("\xed\xa0\x80") == `"\xed\xa0\x80"`
    assertThat(Strconv.quote("a\ud800b")).isEqualTo("\"a\\xed\\xa0\\x80b\"");
  }

  @Test
  void quoteRuneQuotesInvalidCodePointsAsTheReplacementCharacter() {
    assertThat(Strconv.quoteRune('☺')).isEqualTo("'☺'");
    assertThat(Strconv.quoteRune('a')).isEqualTo("'a'");
    assertThat(Strconv.quoteRune(0x07)).isEqualTo("'\\a'");
    assertThat(Strconv.quoteRune('\\')).isEqualTo("'\\\\'");
    assertThat(Strconv.quoteRune('\'')).isEqualTo("'\\''");
    assertThat(Strconv.quoteRune('"')).isEqualTo("'\"'");
    assertThat(Strconv.quoteRune(0xFF)).isEqualTo("'ÿ'");
    assertThat(Strconv.quoteRune(0xDEAD)).isEqualTo("'\uFFFD'");
    assertThat(Strconv.quoteRune(0x10FFFF)).isEqualTo("'\\U0010ffff'");
    assertThat(Strconv.quoteRune(0x10FFFF + 1)).isEqualTo("'\uFFFD'");
    assertThat(Strconv.quoteRune(0x04)).isEqualTo("'\\x04'");
  }

  @Test
  void isPrintIsLettersMarksNumbersPunctuationSymbolsAndTheAsciiSpace() {
    assertThat(Strconv.isPrint('a')).isTrue();
    assertThat(Strconv.isPrint('☺')).isTrue();
    assertThat(Strconv.isPrint(0x0301)).isTrue(); // combining mark
    assertThat(Strconv.isPrint(' ')).isTrue();
    assertThat(Strconv.isPrint(0x00A0)).isFalse(); // no-break space: a space, not the ASCII one
    assertThat(Strconv.isPrint(0x3000)).isFalse();
    assertThat(Strconv.isPrint(0x200B)).isFalse(); // zero width space is a format character
    assertThat(Strconv.isPrint(0xE000)).isFalse(); // private use
    assertThat(Strconv.isPrint(0x7F)).isFalse();
    assertThat(Strconv.isPrint(0xD800)).isFalse();
  }

  @Test
  void formatFloatMatchesGo() {
    assertThat(Strconv.formatFloat(3.1415926535, 'e', -1)).isEqualTo("3.1415926535e+00");
    assertThat(Strconv.formatFloat(3.1415926535, 'f', 3)).isEqualTo("3.142");
    assertThat(Strconv.formatFloat(1e21, 'g', -1)).isEqualTo("1e+21");
    assertThat(Strconv.formatFloat(100000, 'g', -1)).isEqualTo("100000");
    assertThat(Strconv.formatFloat(0.0001, 'g', -1)).isEqualTo("0.0001");
    assertThat(Strconv.formatFloat(0.00001, 'g', -1)).isEqualTo("1e-05");
    assertThat(Strconv.formatFloat(0, 'e', 2)).isEqualTo("0.00e+00");
  }
}
