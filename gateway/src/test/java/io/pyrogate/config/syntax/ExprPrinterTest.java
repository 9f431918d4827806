package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expressions printed as Alloy's messages name them ({@code syntax/vm/vm_errors_test.go}: {@code
 * [0, 1, 2] should be string, got array}, {@code key_value.object.field1[2] should be ...}).
 */
class ExprPrinterTest {

  private static Expr parse(String source) {
    Diagnostics diags = new Diagnostics();
    Expr e = AlloyParser.parseExpression("e", source, diags);
    assertThat(diags.all()).isEmpty();
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      textBlock =
          """
      "abc"                          | "abc"
      "tab\\there"                   | "tab\\there"
      `raw`                          | "raw"
      42                             | 42
      1.50                           | 1.5
      true                           | true
      null                           | null
      [0,1,  2]                      | [0, 1, 2]
      []                             | []
      {a=1, "b c" = "x"}             | { a = 1, "b c" = "x" }
      {}                             | {}
      sys.env("PORT")                | sys.env("PORT")
      key_value.object.field1[2]     | key_value.object.field1[2]
      -x + (1 * 2) == !y             | -x + (1 * 2) == !y
      coalesce(sys.env("A"), "b")    | coalesce(sys.env("A"), "b")
      """)
  void printsAnExpressionOnOneLine(String source, String printed) {
    assertThat(ExprPrinter.print(parse(source))).isEqualTo(printed);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      textBlock =
          """
      [1, "two", 3]              | 1     | "two"                 | 1:5
      {a = [1, {b = true}]}      | a.1.b | true                  | 1:15
      coalesce([], [true])       | 0     | coalesce([], [true])[0] | 1:1
      {a = sys.env("X")}         | a.k   | sys.env("X").k        | 1:6
      {a = 1, a = 2}             | a     | 2                     | 1:13
      """)
  void namesAValueByTheExpressionThatWroteIt(
      String source, String path, String name, String lineColumn) {
    Object[] steps =
        Arrays.stream(path.split("\\."))
            .map(s -> s.matches("\\d+") ? (Object) Integer.valueOf(s) : s)
            .toArray();
    ExprPrinter.Named named = ExprPrinter.name(parse(source), steps);
    assertThat(named.text()).isEqualTo(name);
    assertThat(named.position().line() + ":" + named.position().column()).isEqualTo(lineColumn);
  }
}
