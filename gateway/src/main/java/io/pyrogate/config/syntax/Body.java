package io.pyrogate.config.syntax;

import java.util.List;

/** The statements of a file or of a block body, in source order. */
public record Body(List<Statement> statements) {
  public Body {
    statements = List.copyOf(statements);
  }
}
