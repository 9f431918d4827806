package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.golang.Strconv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {

  private static Body parseClean(String source) {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("p.alloy", source, diags);
    assertThat(diags.all()).as("diagnostics").isEmpty();
    return body;
  }

  private static Expr expr(String source) {
    Diagnostics diags = new Diagnostics();
    Expr e = AlloyParser.parseExpression("e", source, diags);
    assertThat(diags.all()).as("diagnostics").isEmpty();
    return e;
  }

  private static Position at(int line, int column) {
    return new Position("p.alloy", line, column);
  }

  /** Prefix notation, so the tree's shape is visible: {@code (+ 1 (* 2 3))}. */
  static String sexpr(Expr e) {
    if (e instanceof StringLit) {
      return Strconv.quote(((StringLit) e).value());
    } else if (e instanceof NumberLit) {
      return Long.toString(((NumberLit) e).value());
    } else if (e instanceof FloatLit) {
      return Double.toString(((FloatLit) e).value());
    } else if (e instanceof BoolLit) {
      return Boolean.toString(((BoolLit) e).value());
    } else if (e instanceof NullLit) {
      return "null";
    } else if (e instanceof IdentExpr) {
      return ((IdentExpr) e).name();
    } else if (e instanceof AccessExpr) {
      return "(. " + sexpr(((AccessExpr) e).target()) + " " + ((AccessExpr) e).name() + ")";
    } else if (e instanceof IndexExpr) {
      return "(index "
          + sexpr(((IndexExpr) e).target())
          + " "
          + sexpr(((IndexExpr) e).index())
          + ")";
    } else if (e instanceof CallExpr) {
      StringBuilder sb = new StringBuilder("(call ").append(sexpr(((CallExpr) e).function()));
      for (Expr a : ((CallExpr) e).args()) {
        sb.append(' ').append(sexpr(a));
      }
      return sb.append(')').toString();
    } else if (e instanceof UnaryExpr) {
      return "(" + ((UnaryExpr) e).op() + " " + sexpr(((UnaryExpr) e).operand()) + ")";
    } else if (e instanceof BinaryExpr) {
      BinaryExpr b = (BinaryExpr) e;
      return "(" + b.op() + " " + sexpr(b.left()) + " " + sexpr(b.right()) + ")";
    } else if (e instanceof ParenExpr) {
      return "(paren " + sexpr(((ParenExpr) e).inner()) + ")";
    } else if (e instanceof ArrayExpr) {
      List<String> parts = new ArrayList<>();
      for (Expr x : ((ArrayExpr) e).elements()) {
        parts.add(sexpr(x));
      }
      return "[" + String.join(" ", parts) + "]";
    } else if (e instanceof ObjectExpr) {
      List<String> parts = new ArrayList<>();
      for (ObjectExpr.Field f : ((ObjectExpr) e).fields()) {
        parts.add(f.key() + "=" + sexpr(f.value()));
      }
      return "{" + String.join(" ", parts) + "}";
    }
    return "<bad>";
  }

  @ParameterizedTest(name = "{0}  ->  {1}")
  @CsvSource(
      delimiterString = "->",
      value = {
        "1 + 2 * 3 -> (+ 1 (* 2 3))",
        "1 * 2 + 3 -> (+ (* 1 2) 3)",
        "1 - 2 - 3 -> (- (- 1 2) 3)",
        "8 / 4 / 2 -> (/ (/ 8 4) 2)",
        "2 ^ 3 ^ 2 -> (^ 2 (^ 3 2))",
        "2 * 3 ^ 2 -> (* 2 (^ 3 2))",
        "-2 ^ 2 -> (^ (- 2) 2)",
        "!a || b && c -> (|| (! a) (&& b c))",
        "a || b || c -> (|| (|| a b) c)",
        "a == b != c -> (!= (== a b) c)",
        "1 < 2 == true -> (== (< 1 2) true)",
        "a && b == c + d * e % f ^ g -> (&& a (== b (+ c (% (* d e) (^ f g)))))",
        "(1 + 2) * 3 -> (* (paren (+ 1 2)) 3)",
        "- - x -> (- (- x))",
        "!a.b[c](d) -> (! (call (index (. a b) c) d))",
        "f(1)(2) -> (call (call f 1) 2)",
        "a.b.c.d -> (. (. (. a b) c) d)",
        "x[0][1] -> (index (index x 0) 1)",
        "[1, [2], {a = 3}] -> [1 [2] {a=3}]",
        "{\"X-Scope-OrgID\" = \"t1\", env = \"prod\",} -> {X-Scope-OrgID=\"t1\" env=\"prod\"}",
        "f() -> (call f)",
        "[] -> []",
        "{} -> {}",
        "1.5e3 -> 1500.0",
        "null -> null",
      })
  void precedenceAndAssociativity(String source, String tree) {
    assertThat(sexpr(expr(source))).isEqualTo(tree);
  }

  @Test
  void blocksAttributesAndPositions() {
    Body body =
        parseClean("pyroscope.write \"staging\" {\n  endpoint {\n    url = \"http://x\"\n  }\n}\n");
    Block write = (Block) body.statements().get(0);
    assertThat(write.name()).containsExactly("pyroscope", "write");
    assertThat(write.fullName()).isEqualTo("pyroscope.write");
    assertThat(write.label()).isEqualTo("staging");
    assertThat(write.labelPosition()).isEqualTo(at(1, 17));
    assertThat(write.position()).isEqualTo(at(1, 1));

    Block endpoint = (Block) write.body().statements().get(0);
    assertThat(endpoint.fullName()).isEqualTo("endpoint");
    assertThat(endpoint.label()).isNull();
    assertThat(endpoint.labelPosition()).isNull();
    assertThat(endpoint.position()).isEqualTo(at(2, 3));

    Attribute url = (Attribute) endpoint.body().statements().get(0);
    assertThat(url).isEqualTo(new Attribute("url", new StringLit("http://x", at(3, 11)), at(3, 5)));
  }

  @Test
  void anEmptyLabelIsKeptAsEmpty() {
    Block b = (Block) parseClean("a.b \"\" {}").statements().get(0);
    assertThat(b.label()).isEmpty();
    assertThat(b.labelPosition()).isEqualTo(at(1, 5));
  }

  @Test
  void everyNodeCarriesThePositionOfItsFirstToken() {
    Attribute a = (Attribute) parseClean("x = -f(a.b[0], {k = 1}) + (2)\n").statements().get(0);
    BinaryExpr plus = (BinaryExpr) a.value();
    assertThat(plus.position()).isEqualTo(at(1, 5));
    UnaryExpr minus = (UnaryExpr) plus.left();
    assertThat(minus.position()).isEqualTo(at(1, 5));
    CallExpr call = (CallExpr) minus.operand();
    assertThat(call.position()).isEqualTo(at(1, 6));
    IndexExpr index = (IndexExpr) call.args().get(0);
    assertThat(index.position()).isEqualTo(at(1, 8));
    assertThat(((AccessExpr) index.target()).position()).isEqualTo(at(1, 8));
    assertThat(index.index().position()).isEqualTo(at(1, 12));
    ObjectExpr object = (ObjectExpr) call.args().get(1);
    assertThat(object.position()).isEqualTo(at(1, 16));
    assertThat(object.fields().get(0).keyPosition()).isEqualTo(at(1, 17));
    assertThat(object.fields().get(0).value().position()).isEqualTo(at(1, 21));
    assertThat(plus.right()).isEqualTo(new ParenExpr(new NumberLit(2, at(1, 28)), at(1, 27)));
  }

  @Test
  void quotedObjectKeysAreUnescaped() {
    ObjectExpr o = (ObjectExpr) expr("{\"a\\\"b\" = 1, `raw` = 2}");
    assertThat(o.fields()).extracting(ObjectExpr.Field::key).containsExactly("a\"b", "raw");
  }

  @Test
  void nestedBlocksWithDottedNamesAndBodiesWithoutCommas() {
    Body body =
        parseClean(
            "pyroscope.scrape \"x\" {\n  profiling_config {\n    profile.process_cpu {\n"
                + "      enabled = true\n    }\n    profile.memory { enabled = false }\n  }\n}\n");
    Block config = (Block) ((Block) body.statements().get(0)).body().statements().get(0);
    assertThat(config.body().statements())
        .extracting(s -> ((Block) s).fullName())
        .containsExactly("profile.process_cpu", "profile.memory");
  }

  @Test
  void fiveIndependentMistakesGiveFiveDiagnosticsAndTheRestStillParses() {
    String source =
        String.join(
            "\n",
            "pyroscope.write \"a\" {",
            "  endpoint {",
            "    url = \"http://a:4040\" # old", // 1: '#'
            "    remote_timeout = 10s", // 2: unquoted duration
            "  }",
            "  external_labels = {",
            "    env = \"prod\"", // 3: missing ',' before the closing '}'
            "  }",
            "}",
            "pyroscope.write \"b\" {",
            "  endpoint {",
            "    url = ", // 4: missing value
            "    headers = {\"X-Scope-OrgID\" = 't1'}", // 5: single quotes
            "  }",
            "}",
            "");
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("p.alloy", source, diags);

    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "p.alloy:3:27: error: illegal character U+0023 '#' (comments start with // or /*)",
            "p.alloy:4:24: error: expected newline after attribute \"remote_timeout\", got identifier \"s\""
                + " (a duration or other value with a unit must be a quoted string, e.g. \"10s\")",
            "p.alloy:7:17: error: missing ',' in field list (when the closing '}' is on its own line, the last field"
                + " needs a ',' too)",
            "p.alloy:12:10: error: expected expression, got newline",
            "p.alloy:13:34: error: illegal single-quoted string; use double quotes");
    assertThat(body.statements()).extracting(s -> ((Block) s).label()).containsExactly("a", "b");
    Block endpointB = (Block) ((Block) body.statements().get(1)).body().statements().get(0);
    assertThat(endpointB.body().statements())
        .extracting(Statement::position)
        .containsExactly(new Position("p.alloy", 12, 5), new Position("p.alloy", 13, 5));
  }

  @Test
  void theParserReportsOneErrorPerLine() {
    Diagnostics diags = new Diagnostics();
    AlloyParser.parse("p.alloy", "x = [1 2 3 4]\ny = [1 2]\n", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "p.alloy:1:8: error: missing ',' in expression list",
            "p.alloy:2:8: error: missing ',' in expression list");
  }

  @Test
  void commasBetweenBlockStatementsAreReportedOnceAndBothAttributesAreKept() {
    Diagnostics diags = new Diagnostics();
    Body body =
        AlloyParser.parse(
            "p.alloy", "local.file \"t\" { filename = \"/t\", is_secret = true }\n", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "p.alloy:1:33: error: expected newline after attribute \"filename\", got ',' (statements in a block are"
                + " separated by newlines, not commas)");
    assertThat(((Block) body.statements().get(0)).body().statements())
        .extracting(s -> ((Attribute) s).name())
        .containsExactly("filename", "is_secret");
  }

  @Test
  void laterStagesMayReportSeveralErrorsOnOneLine() {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("p.alloy", "x = {a = \"a\" + 1, b = 2 - \"b\"}\n", diags);
    new Evaluator(n -> null, "h").evaluate(((Attribute) body.statements().get(0)).value(), diags);
    assertThat(diags.errors()).hasSize(2);
  }

  @Test
  void whatCouldNotBeReadIsABadExpressionAndTheStatementsAroundItSurvive() {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("p.alloy", "a = 1\nb = \nc = [1, )\nd = 4\n", diags);
    assertThat(body.statements())
        .extracting(s -> ((Attribute) s).name())
        .containsExactly("a", "b", "c", "d");
    assertThat(((Attribute) body.statements().get(1)).value()).isInstanceOf(BadExpr.class);
    assertThat(sexpr(((Attribute) body.statements().get(3)).value())).isEqualTo("4");
    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "p.alloy:2:4: error: expected expression, got newline",
            "p.alloy:3:9: error: expected ']' to close the array opened at 3:5, got ')'");
  }

  @Test
  void anUnclosedListBeforeTheNextStatementIsReportedAtTheEndOfItsLine() {
    Diagnostics diags = new Diagnostics();
    Body body =
        AlloyParser.parse(
            "p.alloy", "blk {\n  targets = [a.b.c, d.e.f\n  forward_to = [x.y.z]\n}\n", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "p.alloy:2:26: error: expected ']' to close the array opened at 2:13, got newline");
    assertThat(((Block) body.statements().get(0)).body().statements())
        .extracting(Statement::position)
        .containsExactly(new Position("p.alloy", 2, 3), new Position("p.alloy", 3, 3));
  }

  @Test
  void deepNestingIsRefusedWithoutOverflowingTheStack() {
    Diagnostics diags = new Diagnostics();
    AlloyParser.parse("p.alloy", "x = " + "[".repeat(5000) + "]".repeat(5000) + "\n", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::message)
        .containsExactly("expression is nested too deeply (more than 100 levels)");

    diags = new Diagnostics();
    AlloyParser.parse("p.alloy", "x = " + "(".repeat(5000) + "\n", diags);
    assertThat(diags.errors()).isNotEmpty();

    diags = new Diagnostics();
    AlloyParser.parse("p.alloy", "b {\n".repeat(150) + "}\n".repeat(150), diags);
    assertThat(diags.all())
        .extracting(Diagnostic::message)
        .containsExactly("blocks are nested too deeply (more than 100 levels)");
  }

  @Test
  void veryLongOperatorChainsAreRefusedSoEvaluationCannotOverflowTheStack() {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("p.alloy", "x = 1" + " + 1".repeat(20_000) + "\ny = 2\n", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::message)
        .containsExactly("expression is too deeply nested (more than 500 levels)");
    assertThat(body.statements()).hasSize(2);
    assertThat(
            new Evaluator(n -> null, "h")
                .evaluate(((Attribute) body.statements().get(0)).value(), diags))
        .isInstanceOf(ErrorValue.class);

    diags = new Diagnostics();
    Value sum =
        new Evaluator(n -> null, "h")
            .evaluate(AlloyParser.parseExpression("e", "1" + " + 1".repeat(400), diags), diags);
    assertThat(sum).isEqualTo(new NumberValue(401, new Position("e", 1, 1)));
  }

  @Test
  void parseExpressionRejectsTrailingTokens() {
    Diagnostics diags = new Diagnostics();
    AlloyParser.parseExpression("e", "1 + 2 3", diags);
    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly("e:1:7: error: expected end of expression, got number 3");
  }

  @Test
  void emptyAndNullSources() {
    assertThat(parseClean("").statements()).isEmpty();
    assertThat(parseClean("// only a comment\n\n/* and another */\n").statements()).isEmpty();
    Diagnostics diags = new Diagnostics();
    assertThat(AlloyParser.parse("p.alloy", null, diags).statements()).isEmpty();
    assertThat(diags.all()).isEmpty();
  }

  @Test
  void theAstIsImmutable() {
    List<Expr> elements = new ArrayList<>(List.of(new NullLit(at(1, 1))));
    ArrayExpr array = new ArrayExpr(elements, at(1, 1));
    elements.clear();
    assertThat(array.elements()).hasSize(1);
    Body body = parseClean("a = 1\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> body.statements().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
