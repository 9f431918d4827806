package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosticPrinterTest {

  @Test
  void diagnosticsPrintAsFileLineColumnSeverityMessage() {
    Position p = new Position("gateway.alloy", 12, 5);
    assertThat(p).hasToString("gateway.alloy:12:5");
    assertThat(new Diagnostic(Severity.ERROR, p, "boom"))
        .hasToString("gateway.alloy:12:5: error: boom");
    assertThat(new Diagnostic(Severity.WARNING, p, "hmm"))
        .hasToString("gateway.alloy:12:5: warning: hmm");
  }

  @Test
  void goldenOutputForARealMistake() {
    String source =
        String.join(
            "\n",
            "pyroscope.write \"staging\" {",
            "\tendpoint {",
            "\t\turl = \"http://pyroscope:4040\"",
            "\t\tremote_timeout = 10s",
            "\t}",
            "\texternal_labels = {",
            "\t\t\"env\" = \"staging\"",
            "\t}",
            "\tlevel = env(\"LEVEL\")",
            "}",
            "");
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("staging.alloy", source, diags);
    Attribute level = (Attribute) ((Block) body.statements().get(0)).body().statements().get(2);
    new Evaluator(n -> "debug", "h").evaluate(level.value(), diags);

    assertThat(DiagnosticPrinter.renderAll(diags.all(), Map.of("staging.alloy", source)::get))
        .isEqualTo(
            String.join(
                "\n",
                "staging.alloy:4:22: error: expected newline after attribute \"remote_timeout\", got identifier \"s\""
                    + " (a duration or other value with a unit must be a quoted string, e.g. \"10s\")",
                "  |",
                "4 |         remote_timeout = 10s",
                "  |                            ^",
                "",
                "staging.alloy:7:20: error: missing ',' in field list (when the closing '}' is on its own line, the last"
                    + " field needs a ',' too)",
                "  |",
                "7 |         \"env\" = \"staging\"",
                "  |                          ^",
                "",
                "staging.alloy:9:10: warning: env is deprecated; use sys.env instead",
                "  |",
                "9 |     level = env(\"LEVEL\")",
                "  |             ^",
                ""));
  }

  @Test
  void theGutterFitsTheLineNumber() {
    String source = "a = 1\n".repeat(99) + "b = 'x'\n";
    Diagnostics diags = new Diagnostics();
    AlloyParser.parse("f.alloy", source, diags);
    assertThat(DiagnosticPrinter.render(diags.all().get(0), source))
        .isEqualTo(
            String.join(
                "\n",
                "f.alloy:100:5: error: illegal single-quoted string; use double quotes",
                "    |",
                "100 | b = 'x'",
                "    |     ^",
                ""));
  }

  @Test
  void anErrorAtTheEndOfTheFilePointsPastTheLastCharacter() {
    String source = "blk {\n  x = 1";
    Diagnostics diags = new Diagnostics();
    AlloyParser.parse("f.alloy", source, diags);
    assertThat(DiagnosticPrinter.render(diags.all().get(0), source))
        .isEqualTo(
            String.join(
                "\n",
                "f.alloy:2:8: error: expected '}' to close block blk opened at 1:5, got end of file",
                "  |",
                "2 |   x = 1",
                "  |        ^",
                ""));
  }

  @Test
  void withoutTheSourceOnlyTheHeaderIsPrinted() {
    Diagnostic a = new Diagnostic(Severity.ERROR, new Position("gone.alloy", 3, 1), "first");
    Diagnostic b = new Diagnostic(Severity.WARNING, new Position("short.alloy", 9, 1), "second");
    assertThat(
            DiagnosticPrinter.renderAll(
                List.of(a, b), f -> f.equals("short.alloy") ? "one line" : null))
        .isEqualTo("gone.alloy:3:1: error: first\n\nshort.alloy:9:1: warning: second\n");
    assertThat(DiagnosticPrinter.render(a, null)).isEqualTo("gone.alloy:3:1: error: first\n");
    assertThat(DiagnosticPrinter.renderAll(List.of(), f -> null)).isEmpty();
  }

  @Test
  void windowsLineEndingsAndWideCharactersBeforeTheColumn() {
    String source = "x = \"µµ\" @\r\n";
    Diagnostics diags = new Diagnostics();
    AlloyParser.parse("w.alloy", source, diags);
    assertThat(DiagnosticPrinter.render(diags.all().get(0), source))
        .isEqualTo(
            String.join(
                "\n",
                "w.alloy:1:10: error: illegal character U+0040 '@'",
                "  |",
                "1 | x = \"µµ\" @",
                "  |          ^",
                ""));
  }

  @Test
  void diagnosticsCollector() {
    Diagnostics diags = new Diagnostics();
    assertThat(diags.hasErrors()).isFalse();
    diags.warning(new Position("f", 1, 1), "w");
    assertThat(diags.hasErrors()).isFalse();
    Diagnostics other = new Diagnostics();
    other.error(new Position("f", 2, 1), "e");
    other.add(new Diagnostic(Severity.ERROR, new Position("f", 2, 1), "e2"));
    diags.addAll(other);
    assertThat(diags.hasErrors()).isTrue();
    assertThat(diags.all()).extracting(Diagnostic::message).containsExactly("w", "e", "e2");
    assertThat(diags.errors()).extracting(Diagnostic::message).containsExactly("e", "e2");
    assertThat(diags.warnings()).extracting(Diagnostic::message).containsExactly("w");
    assertThat(diags).hasToString("f:1:1: warning: w\nf:2:1: error: e\nf:2:1: error: e2\n");
  }
}
