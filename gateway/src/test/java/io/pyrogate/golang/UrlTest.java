package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Url gives the outputs of Go's net/url docs and url_test.go. */
class UrlTest {

  @Test
  void queryEscapeKeepsUnreservedBytesAndWritesASpaceAsPlus() {
    assertThat(Url.queryEscape("my/cool+blog&about,stuff"))
        .isEqualTo("my%2Fcool%2Bblog%26about%2Cstuff");
    assertThat(Url.queryEscape("a b{c=d,é}~-_.")).isEqualTo("a+b%7Bc%3Dd%2C%C3%A9%7D~-_.");
    assertThat(Url.queryEscape("")).isEmpty();
  }

  @Test
  void queryUnescapeReadsPercentEscapesAsUtf8Bytes() {
    assertThat(Url.queryUnescape("my%2Fcool%2Bblog%26about%2Cstuff"))
        .isEqualTo("my/cool+blog&about,stuff");
    assertThat(Url.queryUnescape("a+b")).isEqualTo("a b");
    assertThat(Url.queryUnescape("%C3%A9t%c3%a9")).isEqualTo("été");
    assertThat(Url.queryUnescape("abc")).isEqualTo("abc");
  }

  @Test
  void queryUnescapeThrowsGosEscapeError() {
    assertThatThrownBy(() -> Url.queryUnescape("%"))
        .isInstanceOf(EscapeError.class)
        .hasMessage("invalid URL escape \"%\"");
    assertThatThrownBy(() -> Url.queryUnescape("%a")).hasMessage("invalid URL escape \"%a\"");
    assertThatThrownBy(() -> Url.queryUnescape("%1")).hasMessage("invalid URL escape \"%1\"");
    assertThatThrownBy(() -> Url.queryUnescape("123%45%6")).hasMessage("invalid URL escape \"%6\"");
    assertThatThrownBy(() -> Url.queryUnescape("%zzzzz")).hasMessage("invalid URL escape \"%zz\"");
  }

  @Test
  void pathUnescapeKeepsAPlus() {
    assertThat(Url.pathUnescape("a+b%20c%2B")).isEqualTo("a+b c+");
    assertThat(Url.pathUnescape("p%40ss%3Aword")).isEqualTo("p@ss:word");
    assertThatThrownBy(() -> Url.pathUnescape("x%g1"))
        .isInstanceOf(EscapeError.class)
        .hasMessage("invalid URL escape \"%g1\"");
  }

  @Test
  void queryGetReadsTheQueryAsParseQueryThenGet() {
    assertThat(Url.queryGet("a=1&b=2", "b")).isEqualTo("2");
    assertThat(Url.queryGet("a=1&a=2", "a")).isEqualTo("1");
    assertThat(Url.queryGet("a=1;b=2&c=3", "a")).isEmpty(); // a pair with ';' is rejected
    assertThat(Url.queryGet("a=1;b=2&c=3", "c")).isEqualTo("3");
    assertThat(Url.queryGet("x=%zz&x=1", "x")).isEqualTo("1"); // a bad escape skips the pair
    assertThat(Url.queryGet("a%3Db=1", "a=b")).isEqualTo("1");
    assertThat(Url.queryGet("flag&b=2", "flag")).isEmpty();
    assertThat(Url.queryGet("a=1&&b=2", "b")).isEqualTo("2");
    assertThat(Url.queryGet(null, "a")).isEmpty();
  }
}
