package io.pyrogate.config.syntax;

/**
 * A bare identifier: a stdlib name such as {@code coalesce}, or the first fragment of a reference.
 */
public record IdentExpr(String name, Position position) implements Expr {}
