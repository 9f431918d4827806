package io.pyrogate.config.syntax;

/** {@code target[index]}. */
public record IndexExpr(Expr target, Expr index, Position position) implements Expr {}
