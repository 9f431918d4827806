package io.pyrogate.config;

import io.pyrogate.config.syntax.Diagnostic;
import java.util.List;

/**
 * The configuration has errors; the message lists every one of them, rendered with file:line:col.
 */
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
