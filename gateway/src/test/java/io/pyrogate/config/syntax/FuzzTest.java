package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.golang.Strconv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: whatever the input, lexing, parsing, evaluating and printing never throw, and every
 * diagnostic points inside the input. Inputs are random bytes, random syntax-heavy text and random
 * mutations of the real-world configs, from a fixed seed so a failure is reproducible.
 */
class FuzzTest {

  private static final long SEED = 0x5eed_a11e_2024L;
  private static final String SYNTAX =
      "{}[](),.=!<>+-*/%^&|\"`'#\\\n\n\n\t  abcxyz_019eE\u00b5\u00e9\u540d\u0000\uFEFF\r";
  private static final Evaluator EVALUATOR =
      new Evaluator(n -> n.length() % 2 == 0 ? "v" : null, "fuzz");

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void randomInputsOnlyEverProduceDiagnosticsInsideTheInput() {
    Random random = new Random(SEED);
    List<String> corpus = new ArrayList<>();
    for (String file : RealWorldConfigsTest.allFiles()) {
      corpus.add(RealWorldConfigsTest.read(file));
    }
    int inputs = 0;
    int withErrors = 0;

    for (int i = 0; i < 1500; i++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      withErrors +=
          check(
              new String(bytes, i % 2 == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
      inputs++;
    }
    for (int i = 0; i < 1500; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(300);
      for (int k = 0; k < n; k++) {
        sb.append(SYNTAX.charAt(random.nextInt(SYNTAX.length())));
      }
      withErrors += check(sb.toString());
      inputs++;
    }
    for (int i = 0; i < 4000; i++) {
      String source = corpus.get(random.nextInt(corpus.size()));
      int mutations = 1 + random.nextInt(5);
      for (int m = 0; m < mutations; m++) {
        source = mutate(source, random);
      }
      withErrors += check(source);
      inputs++;
    }

    assertThat(inputs).isEqualTo(7000);
    assertThat(withErrors)
        .as("inputs with errors (the fuzzer must reach error paths)")
        .isGreaterThan(5000);
  }

  @Test
  void unmodifiedRealWorldConfigsHaveNoDiagnostics() {
    for (String file : RealWorldConfigsTest.allFiles()) {
      Diagnostics diags = new Diagnostics();
      AlloyParser.parse(file, RealWorldConfigsTest.read(file), diags);
      assertThat(diags.all()).as(file).isEmpty();
    }
  }

  /** Returns 1 when the input produced an error. */
  private static int check(String source) {
    Diagnostics diags = new Diagnostics();
    Body body;
    try {
      body = AlloyParser.parse("fuzz.alloy", source, diags);
      evaluateAll(body, diags);
      DiagnosticPrinter.renderAll(diags.all(), f -> source);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("threw on input " + Strconv.quote(source), e);
    }
    List<int[]> lines = lineLengths(source);
    for (Diagnostic d : diags.all()) {
      Position p = d.position();
      boolean inside =
          "fuzz.alloy".equals(p.file())
              && p.line() >= 1
              && p.line() <= lines.size()
              && p.column() >= 1
              && p.column() <= lines.get(p.line() - 1)[0] + 1;
      if (!inside || d.message().contains("internal")) {
        throw new AssertionError(
            (inside ? "internal error " : "position outside the input: ")
                + d
                + " for input "
                + Strconv.quote(source));
      }
    }
    return diags.hasErrors() ? 1 : 0;
  }

  private static void evaluateAll(Body body, Diagnostics diags) {
    for (Statement s : body.statements()) {
      if (s instanceof Attribute) {
        EVALUATOR.evaluate(((Attribute) s).value(), diags);
      } else {
        evaluateAll(((Block) s).body(), diags);
      }
    }
  }

  /** Length of each line in code points; a file has one more line than it has '\n'. */
  private static List<int[]> lineLengths(String source) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (; ; ) {
      int nl = source.indexOf('\n', start);
      int end = nl < 0 ? source.length() : nl;
      out.add(new int[] {source.codePointCount(start, end)});
      if (nl < 0) {
        return out;
      }
      start = nl + 1;
    }
  }

  private static String mutate(String s, Random random) {
    if (s.isEmpty()) {
      return String.valueOf(SYNTAX.charAt(random.nextInt(SYNTAX.length())));
    }
    int at = random.nextInt(s.length());
    switch (random.nextInt(6)) {
      case 0: // insert a syntax character
        return s.substring(0, at)
            + SYNTAX.charAt(random.nextInt(SYNTAX.length()))
            + s.substring(at);
      case 1: // insert any character, surrogate halves included
        return s.substring(0, at) + (char) random.nextInt(0x10000) + s.substring(at);
      case 2:
        { // delete a range
          int end = Math.min(s.length(), at + 1 + random.nextInt(8));
          return s.substring(0, at) + s.substring(end);
        }
      case 3: // replace a character
        return s.substring(0, at)
            + SYNTAX.charAt(random.nextInt(SYNTAX.length()))
            + s.substring(at + 1);
      case 4:
        { // duplicate a slice
          int end = Math.min(s.length(), at + 1 + random.nextInt(40));
          return s.substring(0, end) + s.substring(at, end) + s.substring(end);
        }
      default:
        { // move a slice elsewhere
          int end = Math.min(s.length(), at + 1 + random.nextInt(40));
          String slice = s.substring(at, end);
          String rest = s.substring(0, at) + s.substring(end);
          int to = random.nextInt(rest.length() + 1);
          return rest.substring(0, to) + slice + rest.substring(to);
        }
    }
  }
}
