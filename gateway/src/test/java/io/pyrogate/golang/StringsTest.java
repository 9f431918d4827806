package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Strings gives the outputs of Go's strings docs and strings_test.go. */
class StringsTest {

  @Test
  void trimSpaceTrimsUnicodeWhiteSpace() {
    assertThat(Strings.trimSpace("")).isEmpty();
    assertThat(Strings.trimSpace(" \t\r\n x\t\t\r\r\n\n ")).isEqualTo("x");
    assertThat(Strings.trimSpace("\u2000\t\r\n x\t\t\r\r\ny\n \u3000")).isEqualTo("x\t\t\r\r\ny");
    assertThat(Strings.trimSpace("1 \t\r\n2")).isEqualTo("1 \t\r\n2");
    assertThat(Strings.trimSpace("\u0085 x \u00a0\u2028\u2029\u205f")).isEqualTo("x");
    assertThat(Strings.trimSpace("x ☺ ")).isEqualTo("x ☺");
  }

  @Test
  void trimSpaceKeepsWhatUnicodeDoesNotCallWhiteSpace() {
    // U+200B ZERO WIDTH SPACE and U+FEFF are format characters; U+001C..U+001F are not in
    // unicode.IsSpace
    assertThat(Strings.trimSpace("\u200bx\ufeff")).isEqualTo("\u200bx\ufeff");
    assertThat(Strings.trimSpace("\u001cx\u001f")).isEqualTo("\u001cx\u001f");
  }

  @Test
  void compareOrdersByUtf8BytesLikeGo() {
    // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80: Go puts U+FF61 first, UTF-16 (D83D DE00)
    // the other way
    assertThat(Strings.compare("\uFF61", "\uD83D\uDE00")).isNegative();
    assertThat("\uFF61".compareTo("\uD83D\uDE00")).isPositive();
    assertThat(Strings.compare("a", "b")).isNegative();
    assertThat(Strings.compare("ab", "a")).isPositive();
    assertThat(Strings.compare("é", "é")).isZero();
  }

  @Test
  void splitReplaceAndCaseFollowGo() {
    assertThat(Strings.split("a,b,c", ",")).containsExactly("a", "b", "c");
    assertThat(Strings.split("a man a plan a canal panama", "a "))
        .containsExactly("", "man ", "plan ", "canal panama");
    assertThat(Strings.split(" xyz ", "")).containsExactly(" ", "x", "y", "z", " ");
    assertThat(Strings.split("", "Bernardo O'Higgins")).containsExactly("");
    assertThat(Strings.split("a.b", ".")).containsExactly("a", "b"); // no regex
    assertThat(Strings.replaceAll("oink oink oink", "oink", "moo")).isEqualTo("moo moo moo");
    assertThat(Strings.replaceAll("ab", "", "-")).isEqualTo("-a-b-");
    assertThat(Strings.toUpper("ß")).isEqualTo("ß");
    assertThat(Strings.toLower("İ")).isEqualTo("i");
    assertThat(Strings.trim("¡¡¡Hello, Gophers!!!", "!¡")).isEqualTo("Hello, Gophers");
  }
}
