package io.pyrogate.config.syntax;

/**
 * Placeholder the parser puts where it could not read an expression. The error is already reported;
 * evaluating it yields an {@link ErrorValue} without a further diagnostic.
 */
public record BadExpr(Position position) implements Expr {}
