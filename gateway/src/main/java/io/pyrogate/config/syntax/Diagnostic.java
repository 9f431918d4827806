package io.pyrogate.config.syntax;

import java.util.Objects;

/** One problem found in a config file, with the exact place it was found. */
public record Diagnostic(Severity severity, Position position, String message) {

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(message, "message");
  }

  /** {@code "file:line:col: error: message"}. */
  @Override
  public String toString() {
    return position + ": " + severity.label() + ": " + message;
  }
}
