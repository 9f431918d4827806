package io.pyrogate.config.syntax;

public record FloatLit(double value, Position position) implements Expr {}
