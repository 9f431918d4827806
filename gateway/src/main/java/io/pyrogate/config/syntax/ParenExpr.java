package io.pyrogate.config.syntax;

/** {@code (inner)}; kept so positions and printing stay faithful to the source. */
public record ParenExpr(Expr inner, Position position) implements Expr {}
