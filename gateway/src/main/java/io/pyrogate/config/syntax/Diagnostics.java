package io.pyrogate.config.syntax;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one collector that travels through lex, parse, evaluate, decode and validate. Each stage
 * appends; the program asks {@link #hasErrors()} once at the end. Warnings never count as errors.
 *
 * <p>The collector itself keeps everything it is given. The parser is the only stage that filters:
 * like Alloy, it drops its own second error on a line that already has an error (the second one is
 * almost always a consequence of the first). Later stages may add as many diagnostics per line as
 * they need.
 *
 * <p>Not thread-safe: one collector belongs to one load of the configuration.
 */
public final class Diagnostics {
  private final List<Diagnostic> list = new ArrayList<>();

  public void error(Position position, String message) {
    add(new Diagnostic(Severity.ERROR, position, message));
  }

  public void warning(Position position, String message) {
    add(new Diagnostic(Severity.WARNING, position, message));
  }

  public void add(Diagnostic diagnostic) {
    list.add(diagnostic);
  }

  public void addAll(Diagnostics other) {
    if (other != this) {
      list.addAll(other.list);
    }
  }

  public boolean hasErrors() {
    for (Diagnostic d : list) {
      if (d.severity() == Severity.ERROR) {
        return true;
      }
    }
    return false;
  }

  /** Everything, in the order it was reported. */
  public List<Diagnostic> all() {
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  public List<Diagnostic> errors() {
    return only(Severity.ERROR);
  }

  public List<Diagnostic> warnings() {
    return only(Severity.WARNING);
  }

  private List<Diagnostic> only(Severity severity) {
    List<Diagnostic> out = new ArrayList<>();
    for (Diagnostic d : list) {
      if (d.severity() == severity) {
        out.add(d);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** One diagnostic per line, as {@link Diagnostic#toString()}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : list) {
      sb.append(d).append('\n');
    }
    return sb.toString();
  }
}
