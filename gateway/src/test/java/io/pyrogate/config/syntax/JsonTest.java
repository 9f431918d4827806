package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Json reads JSON into Alloy values and writes them as Go's encoding/json marshals a
 * map[string]any.
 */
class JsonTest {

  private static final Position AT = new Position("test.alloy", 1, 1);

  private static ObjectValue object(String... keysAndValues) {
    LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      fields.put(keysAndValues[i], new StringValue(keysAndValues[i + 1], AT));
    }
    return new ObjectValue(fields, AT);
  }

  @Test
  void writesKeysInTheOrderOfTheirUtf8Bytes() {
    // Go: json.Marshal(map[string]string{"\U0001F600": "b", "\uFF61": "a"}) == {"｡":"a","😀":"b"}
    assertThat(Json.write(object("\uD83D\uDE00", "b", "\uFF61", "a", "z", "c")))
        .isEqualTo("{\"z\":\"c\",\"\uFF61\":\"a\",\"\uD83D\uDE00\":\"b\"}");
  }

  @Test
  void writesWithoutSpacesAndEscapesHtmlCharacters() {
    assertThat(Json.write(object("b", "<&>", "a", "\u2028\n")))
        .isEqualTo("{\"a\":\"\\u2028\\n\",\"b\":\"\\u003c\\u0026\\u003e\"}");
    LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
    fields.put(
        "n",
        new ArrayValue(
            List.of(new NumberValue(-3, AT), new NullValue(AT), new BoolValue(true, AT)), AT));
    fields.put("g", new FloatValue(1e-7, AT));
    fields.put("f", new FloatValue(1e21, AT));
    assertThat(Json.write(new ObjectValue(fields, AT)))
        .isEqualTo("{\"f\":1e+21,\"g\":1e-7,\"n\":[-3,null,true]}");
  }

  @Test
  void readsValuesKeepingKeyOrder() {
    Value v = Json.parse(" {\"b\": [1, 2.5, 1e3, \"\\u00e9\"], \"a\": {\"x\": null}} ", AT);
    assertThat(v).isInstanceOf(ObjectValue.class);
    Map<String, Value> fields = ((ObjectValue) v).fields();
    assertThat(fields.keySet()).containsExactly("b", "a");
    List<Value> b = ((ArrayValue) fields.get("b")).elements();
    assertThat(((NumberValue) b.get(0)).value()).isEqualTo(1);
    assertThat(((FloatValue) b.get(1)).value()).isEqualTo(2.5);
    assertThat(((FloatValue) b.get(2)).value()).isEqualTo(1000.0);
    assertThat(((StringValue) b.get(3)).value()).isEqualTo("é");
  }

  @Test
  void rejectsMalformedJsonWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,}", AT))
        .hasMessage("expected a string key, got '}' at offset 8");
    assertThatThrownBy(() -> Json.parse("[1] x", AT))
        .hasMessage("unexpected 'x' after the value at offset 4");
  }

  private static String writeString(String s) {
    return Json.write(new StringValue(s, AT));
  }

  private static String readString(String json) {
    return ((StringValue) Json.parse(json, AT)).value();
  }

  @Test
  void sortsKeysByUtf8BytesAtEveryLevelAndAcrossLengths() {
    // Byte order: "" < "A" < "a" < "aa" < "b" < "é" (C3 A9) < "€" (E2 82 AC) < "😀" (F0 9F 98 80).
    LinkedHashMap<String, Value> inner = new LinkedHashMap<>();
    inner.put("\uD83D\uDE00", new NumberValue(6, AT));
    inner.put("\u20AC", new NumberValue(5, AT));
    inner.put("\u00E9", new NumberValue(4, AT));
    inner.put("b", new NumberValue(3, AT));
    inner.put("aa", new NumberValue(2, AT));
    inner.put("a", new NumberValue(1, AT));
    inner.put("A", new NumberValue(0, AT));
    inner.put("", new NumberValue(-1, AT));
    LinkedHashMap<String, Value> outer = new LinkedHashMap<>();
    outer.put("z", new ObjectValue(inner, AT));
    outer.put("y", new ArrayValue(List.of(object("b", "1", "a", "2")), AT));
    assertThat(Json.write(new ObjectValue(outer, AT)))
        .isEqualTo(
            "{\"y\":[{\"a\":\"2\",\"b\":\"1\"}],"
                + "\"z\":{\"\":-1,\"A\":0,\"a\":1,\"aa\":2,\"b\":3,"
                + "\"\u00E9\":4,\"\u20AC\":5,\"\uD83D\uDE00\":6}}");
  }

  @Test
  void escapesStringsAsGoEncodingJson() {
    // Go 1.22+: \b and \f have short escapes, other controls are backslash-u00XX in lower-case hex,
    // and
    // HTML characters are escaped; DEL, '/' and non-ASCII characters stay as they are.
    assertThat(writeString("\"\\/\b\f\n\r\t\u0000\u001f\u007f"))
        .isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\"");
    assertThat(writeString("<a href=\"x\">&amp;</a>"))
        .isEqualTo("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"");
    assertThat(writeString("\u2027\u2028\u2029\u202a é😀"))
        .isEqualTo("\"\u2027\\u2028\\u2029\u202a é😀\"");
  }

  @Test
  void writesAStringThatIsNotValidUtf8WithAReplacementPerInvalidByte() {
    // A lone surrogate stands for the three bytes Go would hold (ED A0 80 for U+D800), none of
    // which starts a valid rune: json.Marshal writes \ufffd for each.
    assertThat(writeString("a\uD800b")).isEqualTo("\"a\\ufffd\\ufffd\\ufffdb\"");
    assertThat(writeString("\uDE00")).isEqualTo("\"\\ufffd\\ufffd\\ufffd\"");
    assertThat(writeString("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
  }

  @Test
  void writesNumbersAsGoEncodingJson() {
    LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
    fields.put("a", new NumberValue(Long.MIN_VALUE, AT));
    fields.put("b", new FloatValue(0.5, AT));
    fields.put("c", new FloatValue(1e20, AT));
    fields.put("d", new FloatValue(-1.5e-7, AT));
    fields.put("e", new FloatValue(0.000001, AT));
    fields.put("f", new FloatValue(123456789e300, AT));
    fields.put("g", new FloatValue(-0.0, AT));
    fields.put("h", new FloatValue(3.0, AT));
    assertThat(Json.write(new ObjectValue(fields, AT)))
        .isEqualTo(
            "{\"a\":-9223372036854775808,\"b\":0.5,\"c\":100000000000000000000,"
                + "\"d\":-1.5e-7,\"e\":0.000001,\"f\":1.23456789e+308,\"g\":-0,\"h\":3}");
    assertThatThrownBy(() -> Json.write(new FloatValue(Double.NaN, AT)))
        .hasMessage("unsupported value NaN");
    assertThatThrownBy(() -> Json.write(new FloatValue(Double.NEGATIVE_INFINITY, AT)))
        .hasMessage("unsupported value -Inf");
  }

  @Test
  void readsEscapesAsGoEncodingJson() {
    assertThat(readString("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\""))
        .isEqualTo("\"\\/\b\f\n\r\té\u00e9");
    assertThat(readString("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
    // An unpaired surrogate escape decodes as U+FFFD, as Go's decoder replaces it.
    assertThat(readString("\"\\ud800x\"")).isEqualTo("\uFFFDx");
    assertThat(readString("\"\\ud800\\u0041\"")).isEqualTo("\uFFFDA");
    assertThat(readString("\"\\ude00\"")).isEqualTo("\uFFFD");
    assertThat(readString("\"\\uffff\\u0660\"")).isEqualTo("\uFFFF\u0660");
    assertThat(readString("\"<&>\u2028\"")).isEqualTo("<&>\u2028");
  }

  @Test
  void readsNumbersAndRejectsWhatGoRejects() {
    assertThat(((NumberValue) Json.parse("-0", AT)).value()).isZero();
    assertThat(((NumberValue) Json.parse("9223372036854775807", AT)).value())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(((FloatValue) Json.parse("9223372036854775808", AT)).value())
        .isEqualTo(9.223372036854775808e18);
    assertThat(((FloatValue) Json.parse("1E+2", AT)).value()).isEqualTo(100.0);
    assertThatThrownBy(() -> Json.parse("01", AT))
        .hasMessage("unexpected '1' after the value at offset 1");
    assertThatThrownBy(() -> Json.parse("-01", AT))
        .hasMessage("unexpected '1' after the value at offset 2");
    assertThatThrownBy(() -> Json.parse("1.", AT)).hasMessage("invalid number at offset 2");
    assertThatThrownBy(() -> Json.parse(".5", AT)).hasMessage("unexpected '.' at offset 0");
    assertThatThrownBy(() -> Json.parse("+1", AT)).hasMessage("unexpected '+' at offset 0");
    assertThatThrownBy(() -> Json.parse("-", AT)).hasMessage("invalid number at offset 1");
    assertThatThrownBy(() -> Json.parse("1e", AT)).hasMessage("invalid number at offset 2");
    assertThatThrownBy(() -> Json.parse("1e400", AT))
        .hasMessage("number 1e400 is out of range at offset 5");
  }

  @Test
  void rejectsStringsGoRejects() {
    assertThatThrownBy(() -> Json.parse("\"a\tb\"", AT))
        .hasMessage("control character in string at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\x41\"", AT))
        .hasMessage("invalid escape \\x at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\u12zz\"", AT))
        .hasMessage("invalid \\u escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\u+041\"", AT))
        .hasMessage("invalid \\u escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\u-041\"", AT))
        .hasMessage("invalid \\u escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\u\u0661234\"", AT))
        .hasMessage("invalid \\u escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"\\u12\"", AT))
        .hasMessage("short \\u escape at offset 3");
    assertThatThrownBy(() -> Json.parse("\"abc", AT)).hasMessage("unterminated string at offset 4");
    assertThatThrownBy(() -> Json.parse("", AT)).hasMessage("unexpected end of input at offset 0");
    assertThatThrownBy(() -> Json.parse("[".repeat(201), AT))
        .hasMessage("nested too deeply at offset 200");
  }
}
