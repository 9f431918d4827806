package io.pyrogate.config.syntax;

/** The result of an expression whose error is already reported: callers skip it silently. */
public record ErrorValue(Position position) implements Value {}
