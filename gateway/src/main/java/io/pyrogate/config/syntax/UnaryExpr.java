package io.pyrogate.config.syntax;

/** {@code op operand} where {@code op} is {@code "!"} or {@code "-"}. */
public record UnaryExpr(String op, Expr operand, Position position) implements Expr {}
