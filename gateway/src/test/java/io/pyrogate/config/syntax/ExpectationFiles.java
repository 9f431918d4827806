package io.pyrogate.config.syntax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Harness for config files that say, in comments, which diagnostics they must produce.
 *
 * <p>An expectation is a block comment {@code /* ERROR "regex" *}{@code /} (or {@code WARNING}).
 * The regex is everything between the comment's first and last double quote, and must be
 * <em>found</em> in the message ({@link Matcher#find()}). Where the diagnostic must be reported:
 *
 * <ul>
 *   <li>{@code /* ERROR "rx" *}{@code /}: at the start (line:col) of the closest token before the
 *       comment, ignoring other comments and the newlines the lexer turns into terminators. Put the
 *       comment right after the offending token, or on the next line when the token ends its line
 *       (an unterminated string, for instance).
 *   <li>{@code /* ERROR HERE "rx" *}{@code /}: just after the end of that token (where a missing
 *       {@code ,} or an unexpected newline is reported).
 *   <li>{@code /* ERROR +N "rx" *}{@code /}: N columns after the start of that token (an error
 *       inside a string, such as a bad escape sequence; the token must be on one line).
 *   <li>{@code /* ERROR @L:C "rx" *}{@code /}: at line L, column C (for errors at end of file,
 *       where no comment can follow).
 * </ul>
 *
 * <p>Every reported diagnostic of the checked severities must match an expectation at exactly its
 * position, and every expectation must be matched. Before anything is read, the placeholders {@code
 * {{NUL}}} and {@code {{BOM}}} in the file are replaced by U+0000 and U+FEFF, so files stay text;
 * positions refer to the text after replacement.
 */
final class ExpectationFiles {

  private static final Pattern EXPECTATION =
      Pattern.compile(
          "^/\\*\\s*(ERROR|WARNING)\\s+(?:(HERE)\\s+|\\+(\\d+)\\s+|@(\\d+):(\\d+)\\s+)?\"(.*)\"\\s*\\*/$",
          Pattern.DOTALL);

  private ExpectationFiles() {}

  record Expectation(Severity severity, Position position, Pattern regex) {
    @Override
    public String toString() {
      return position + ": " + severity.label() + " matching /" + regex.pattern() + "/";
    }
  }

  /** Files named {@code *.alloy} in a test resource directory of this package. */
  static List<Path> files(String directory) {
    URL url = ExpectationFiles.class.getResource(directory);
    if (url == null) {
      throw new IllegalStateException("no test resource directory " + directory);
    }
    try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".alloy"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8)
          .replace("{{NUL}}", "\0")
          .replace("{{BOM}}", "\uFEFF");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Expectation> expectations(String fileName, String source) {
    List<Expectation> out = new ArrayList<>();
    Lexer lexer = new Lexer(fileName, source, (position, message) -> {});
    Token previous = null;
    for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) {
      if (t.kind() == TokenKind.TERMINATOR) {
        continue;
      }
      if (t.kind() != TokenKind.COMMENT) {
        previous = t;
        continue;
      }
      Matcher m = EXPECTATION.matcher(t.text());
      if (!m.matches()) {
        if (t.text().matches("(?s)/\\*\\s*(ERROR|WARNING)\\b.*")) {
          throw new IllegalArgumentException(
              t.position() + ": malformed expectation comment " + t.text());
        }
        continue;
      }
      Severity severity = m.group(1).equals("ERROR") ? Severity.ERROR : Severity.WARNING;
      Position at;
      if (m.group(4) != null) {
        at = new Position(fileName, Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
      } else if (previous == null) {
        throw new IllegalArgumentException(
            t.position() + ": expectation without a token before it");
      } else if (m.group(2) != null) {
        at = previous.end();
      } else if (m.group(3) != null) {
        Position p = previous.position();
        at = new Position(fileName, p.line(), p.column() + Integer.parseInt(m.group(3)));
      } else {
        at = previous.position();
      }
      out.add(new Expectation(severity, at, Pattern.compile(m.group(6))));
    }
    return out;
  }

  /** Human-readable list of mismatches; empty when the diagnostics are exactly those expected. */
  static List<String> compare(
      List<Expectation> expected, List<Diagnostic> reported, List<Severity> checked) {
    List<Expectation> open = new ArrayList<>(expected);
    List<String> problems = new ArrayList<>();
    for (Diagnostic d : reported) {
      if (!checked.contains(d.severity())) {
        continue;
      }
      boolean matched = false;
      for (Iterator<Expectation> it = open.iterator(); it.hasNext(); ) {
        Expectation e = it.next();
        if (e.severity() == d.severity()
            && e.position().equals(d.position())
            && e.regex().matcher(d.message()).find()) {
          it.remove();
          matched = true;
          break;
        }
      }
      if (!matched) {
        problems.add("unexpected " + d);
      }
    }
    for (Expectation e : open) {
      problems.add("not reported: " + e);
    }
    return problems;
  }
}
