package io.pyrogate.config.syntax;

/** An integer literal (a literal too large for a long becomes a {@link FloatLit}, as in Alloy). */
public record NumberLit(long value, Position position) implements Expr {}
