package io.pyrogate.config.syntax;

import java.util.List;
import java.util.function.Function;

/**
 * Renders diagnostics for humans:
 *
 * <pre>
 * config.alloy:12:5: error: missing ',' in field list
 *    |
 * 12 |     "env" = "prod"
 *    |                   ^
 * </pre>
 *
 * Tabs in the source line are shown as four spaces, and the caret follows them.
 */
public final class DiagnosticPrinter {

  private static final String TAB = "    ";

  private DiagnosticPrinter() {}

  /**
   * The diagnostic's header line, then (when {@code sourceText} has that line) the line with a
   * gutter and a caret under the column. Ends with a newline.
   */
  public static String render(Diagnostic d, String sourceText) {
    StringBuilder out = new StringBuilder();
    out.append(d).append('\n');
    String line = line(sourceText, d.position().line());
    if (line == null) {
      return out.toString();
    }
    String number = Integer.toString(d.position().line());
    String gutter = " ".repeat(number.length());
    StringBuilder shown = new StringBuilder();
    StringBuilder caret = new StringBuilder();
    int column = 1;
    for (int i = 0; i < line.length(); ) {
      int c = line.codePointAt(i);
      i += Character.charCount(c);
      boolean beforeCaret = column < d.position().column();
      if (c == '\t') {
        shown.append(TAB);
        if (beforeCaret) {
          caret.append(TAB);
        }
      } else {
        shown.appendCodePoint(c);
        if (beforeCaret) {
          caret.append(' ');
        }
      }
      column++;
    }
    out.append(gutter).append(" |\n");
    out.append(number).append(" | ").append(shown).append('\n');
    out.append(gutter).append(" | ").append(caret).append("^\n");
    return out.toString();
  }

  /**
   * Every diagnostic, in the given order, separated by blank lines. {@code sourceOfFile} maps a
   * position's file name to its text; it may return {@code null}, which prints the header line
   * only.
   */
  public static String renderAll(List<Diagnostic> ds, Function<String, String> sourceOfFile) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : ds) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(render(d, sourceOfFile == null ? null : sourceOfFile.apply(d.position().file())));
    }
    return out.toString();
  }

  private static String line(String source, int number) {
    if (source == null || number < 1) {
      return null;
    }
    int start = 0;
    for (int n = 1; n < number; n++) {
      int nl = source.indexOf('\n', start);
      if (nl < 0) {
        return null;
      }
      start = nl + 1;
    }
    int end = source.indexOf('\n', start);
    String line = end < 0 ? source.substring(start) : source.substring(start, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.startsWith("\uFEFF") && number == 1) {
      line = line.substring(1);
    }
    return line;
  }
}
