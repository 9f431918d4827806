package io.pyrogate.config.syntax;

public record NullLit(Position position) implements Expr {}
