package io.pyrogate.config.syntax;

/** A string literal, already unescaped. */
public record StringLit(String value, Position position) implements Expr {}
