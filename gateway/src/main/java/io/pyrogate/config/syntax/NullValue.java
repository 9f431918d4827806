package io.pyrogate.config.syntax;

public record NullValue(Position position) implements Value {}
