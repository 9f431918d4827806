package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven diagnostics tests; the convention for the expectation comments is described in
 * {@link ExpectationFiles}.
 *
 * <ul>
 *   <li>{@code errors/*.alloy}: lexer and parser errors (the files are only parsed).
 *   <li>{@code eval-errors/*.alloy}: files that parse cleanly and whose attribute values produce
 *       the expected evaluation errors and warnings.
 * </ul>
 */
class ErrorFilesTest {

  static List<Path> syntaxFiles() {
    return ExpectationFiles.files("errors");
  }

  static List<Path> evaluationFiles() {
    return ExpectationFiles.files("eval-errors");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntaxFiles")
  void syntaxErrorsAreReportedWhereTheFileSays(Path file) {
    String name = file.getFileName().toString();
    String source = ExpectationFiles.read(file);
    List<ExpectationFiles.Expectation> expected = ExpectationFiles.expectations(name, source);

    Diagnostics diags = new Diagnostics();
    AlloyParser.parse(name, source, diags);

    assertThat(expected).as("expectations in " + name).isNotEmpty();
    assertThat(
            ExpectationFiles.compare(
                expected, diags.all(), List.of(Severity.ERROR, Severity.WARNING)))
        .as("diagnostics of " + name + ":\n" + diags)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evaluationFiles")
  void evaluationDiagnosticsAreReportedWhereTheFileSays(Path file) {
    String name = file.getFileName().toString();
    String source = ExpectationFiles.read(file);
    List<ExpectationFiles.Expectation> expected = ExpectationFiles.expectations(name, source);

    Diagnostics parse = new Diagnostics();
    Body body = AlloyParser.parse(name, source, parse);
    assertThat(parse.all()).as("parse diagnostics of " + name).isEmpty();

    Diagnostics diags = new Diagnostics();
    Evaluator evaluator = new Evaluator(n -> n.equals("REGION") ? "eu-west" : null, "test-host");
    for (Attribute a : attributes(body)) {
      evaluator.evaluate(a.value(), diags);
    }

    assertThat(expected).as("expectations in " + name).isNotEmpty();
    assertThat(
            ExpectationFiles.compare(
                expected, diags.all(), List.of(Severity.ERROR, Severity.WARNING)))
        .as("diagnostics of " + name + ":\n" + diags)
        .isEmpty();
  }

  @Test
  void theSyntaxFilesCoverAtLeastThirtyDistinctErrors() {
    int count = 0;
    for (Path file : syntaxFiles()) {
      count +=
          ExpectationFiles.expectations(file.getFileName().toString(), ExpectationFiles.read(file))
              .size();
    }
    assertThat(count).isGreaterThanOrEqualTo(30);
  }

  private static List<Attribute> attributes(Body body) {
    List<Attribute> out = new ArrayList<>();
    for (Statement s : body.statements()) {
      if (s instanceof Attribute) {
        out.add((Attribute) s);
      } else {
        out.addAll(attributes(((Block) s).body()));
      }
    }
    return out;
  }
}
