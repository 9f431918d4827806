package io.pyrogate.config.syntax;

/** {@code target.name}. */
public record AccessExpr(Expr target, String name, Position position) implements Expr {}
