package io.pyrogate.config.syntax;

public record StringValue(String value, Position position) implements Value {}
