package io.pyrogate.config.syntax;

public record FloatValue(double value, Position position) implements Value {}
