package io.pyrogate.config.syntax;

public record BoolValue(boolean value, Position position) implements Value {}
