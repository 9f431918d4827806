package io.pyrogate.config.syntax;

public record BoolLit(boolean value, Position position) implements Expr {}
