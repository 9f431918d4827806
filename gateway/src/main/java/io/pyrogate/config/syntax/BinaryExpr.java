package io.pyrogate.config.syntax;

/**
 * {@code left op right}; {@code op} is the operator as written ({@code "||"}, {@code "=="}, {@code
 * "+"}, {@code "^"}, ...). The position is that of the left operand's first token.
 */
public record BinaryExpr(String op, Expr left, Expr right, Position position) implements Expr {}
