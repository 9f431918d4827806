package io.pyrogate.config.syntax;

import java.util.List;

/** {@code [a, b, c]}. */
public record ArrayExpr(List<Expr> elements, Position position) implements Expr {
  public ArrayExpr {
    elements = List.copyOf(elements);
  }
}
