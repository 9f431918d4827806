package io.pyrogate.config.syntax;

/** {@code name = value}. */
public record Attribute(String name, Expr value, Position position) implements Statement {}
