package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alloy's value conversions, table by table from Alloy's own rules and tests (grafana/alloy):
 *
 * <ul>
 *   <li>{@code syntax/internal/value/value.go} {@code convertValue}: the branches of string to
 *       number (empty, a leading {@code -} read by {@code ParseInt}, one of {@code . e E} read by
 *       {@code ParseFloat}, else {@code ParseUint}) and number to string ({@code Number.ToString}:
 *       {@code FormatFloat(f, 'f', -1, 64)} for floats);
 *   <li>{@code syntax/internal/value/decode_test.go} {@code TestDecode_Numbers}: 15 as an int, a
 *       float and the string "15" decodes into every number type and into a string; {@code
 *       TestDecode_ErrorChain} ("expected number, got string" for "Hello, world!"); {@code
 *       TestDecode_TextUnmarshaler} ("expected string, got bool");
 *   <li>{@code syntax/internal/value/decode.go} {@code convertGoNumber}: a float decoded into an
 *       int is truncated; a uint64 into an int keeps its bits;
 *   <li>{@code syntax/vm/vm_errors_test.go}: the message form {@code X should be T, got U}.
 * </ul>
 */
class ConversionsTest {
  private static final Position AT = new Position("t", 1, 1);

  private static Value value(String kind, String text) {
    return switch (kind) {
      case "int" -> new NumberValue(Long.parseLong(text), AT);
      case "float" -> new FloatValue(Double.parseDouble(text), AT);
      case "string" -> new StringValue(text, AT);
      case "bool" -> new BoolValue(Boolean.parseBoolean(text), AT);
      case "array" -> new ArrayValue(List.of(new NumberValue(0, AT)), AT);
      case "object" -> new ObjectValue(new LinkedHashMap<>(), AT);
      case "null" -> new NullValue(AT);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** An empty {@code expected} means: does not convert. */
  @ParameterizedTest(name = "{0} {1} -> number {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      textBlock =
          """
      # TestDecode_Numbers: 15 in every form
      int    | 15                     | 15
      float  | 15                     | 15
      string | 15                     | 15
      # convertValue: an empty string is not a number
      string | ''                     | none
      # a leading '-': strconv.ParseInt
      string | -5                     | -5
      string | -0                     | 0
      string | -9223372036854775808   | -9223372036854775808
      string | -9223372036854775809   | none
      string | -1.5                   | none
      string | -1e3                   | none
      string | -                      | none
      # one of . e E: strconv.ParseFloat, then convertGoNumber truncates into an int
      string | 1.5                    | 1
      string | 1.9999                 | 1
      string | .5                     | 0
      string | 5.                     | 5
      string | 1e3                    | 1000
      string | 1E3                    | 1000
      string | 1e+3                   | 1000
      string | +2.5                   | 2
      string | 0x1.8p1                | 3
      string | 1e400                  | none
      string | 1.5f                   | none
      string | 1.5d                   | none
      string | 1.5e                   | none
      string | '1.5 '                  | none
      string | 1_000.5                | none
      # otherwise strconv.ParseUint(s, 10, 64): digits only
      string | 4040                   | 4040
      string | 007                    | 7
      string | 18446744073709551615   | -1
      string | 18446744073709551616   | none
      string | +5                     | none
      string | ' 5'                   | none
      string | 0x10                   | none
      string | 5_000                  | none
      string | abc                    | none
      string | Inf                    | none
      string | NaN                    | none
      # convertGoNumber: float into int truncates toward zero
      float  | 4040.7                 | 4040
      float  | -2.9                   | -2
      # nothing else converts to a number
      bool   | true                   | none
      array  | ''                     | none
      object | ''                     | none
      """)
  void toNumberFollowsAlloy(String kind, String text, Long expected) {
    OptionalLong actual = Conversions.toInteger(value(kind, text == null ? "" : text));
    if (expected == null) {
      assertThat(actual).isEmpty();
    } else {
      assertThat(actual).hasValue(expected);
    }
  }

  @ParameterizedTest(name = "{0} {1} -> string {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      textBlock =
          """
      # TestDecode_Numbers: 15 in every form decodes into a string as "15"
      int    | 15                     | 15
      float  | 15                     | 15
      string | 15                     | 15
      # Number.ToString: FormatInt, or FormatFloat(f, 'f', -1, 64): never an exponent
      int    | -3                     | -3
      int    | 9223372036854775807    | 9223372036854775807
      float  | 1.5                    | 1.5
      float  | -0.5                   | -0.5
      float  | 0.1                    | 0.1
      float  | 1e21                   | 1000000000000000000000
      float  | 1.5e-7                 | 0.00000015
      # a string stays itself
      string | abc                    | abc
      # TestDecode_TextUnmarshaler: a bool is not a string; nor is an array or an object
      bool   | true                   | none
      array  | ''                     | none
      object | ''                     | none
      """)
  void toTextFollowsAlloy(String kind, String text, String expected) {
    Optional<String> actual = Conversions.toText(value(kind, text == null ? "" : text));
    assertThat(actual).isEqualTo(Optional.ofNullable(expected));
  }

  /** vm_errors_test.go: {@code true should be object, got bool} and the others. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      true            | object | bool   | true should be object, got bool
      "Hello, world!" | number | string | "Hello, world!" should be number, got string
      [0, 1, 2]       | string | array  | [0, 1, 2] should be string, got array
      """)
  void mismatchesReadAsAlloys(String subject, String expected, String kind, String message) {
    assertThat(Conversions.mismatch(subject, expected, value(kind, "true"))).isEqualTo(message);
  }
}
