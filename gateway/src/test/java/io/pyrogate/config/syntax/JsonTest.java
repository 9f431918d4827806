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
}
