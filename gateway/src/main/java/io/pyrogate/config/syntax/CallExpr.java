package io.pyrogate.config.syntax;

import java.util.List;

/**
 * {@code function(args...)}; {@code function} is usually an identifier chain like {@code sys.env}.
 */
public record CallExpr(Expr function, List<Expr> args, Position position) implements Expr {
  public CallExpr {
    args = List.copyOf(args);
  }
}
