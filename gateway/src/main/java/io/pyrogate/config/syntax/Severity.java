package io.pyrogate.config.syntax;

/** How bad a {@link Diagnostic} is: errors stop the gateway from starting, warnings never do. */
public enum Severity {
  ERROR,
  WARNING;

  /** The lower-case word used when printing, e.g. {@code "error"}. */
  public String label() {
    return this == ERROR ? "error" : "warning";
  }
}
