package io.pyrogate.config;

import java.util.List;

import io.pyrogate.config.syntax.Diagnostic;

/** The configuration has errors; the message lists every one of them, rendered with file:line:col. */
public final class ConfigException extends RuntimeException {
  private final transient List<Diagnostic> diagnostics;

  public ConfigException(String rendered, List<Diagnostic> diagnostics) {
    super(rendered);
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
