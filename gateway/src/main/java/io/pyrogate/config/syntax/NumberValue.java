package io.pyrogate.config.syntax;

/** An integer. Alloy numbers are one type; {@link FloatValue} is the non-integral half of it. */
public record NumberValue(long value, Position position) implements Value {}
