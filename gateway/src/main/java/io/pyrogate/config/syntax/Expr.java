package io.pyrogate.config.syntax;

/**
 * An expression. Every node carries the position of its first token; for a binary expression that
 * is the first token of its left operand.
 *
 * <p>{@link BadExpr} stands where the parser found no valid expression; the parser has already
 * reported an error for it, and the {@link Evaluator} turns it into an {@link ErrorValue} without a
 * new report.
 */
public sealed interface Expr
    permits StringLit,
        NumberLit,
        FloatLit,
        BoolLit,
        NullLit,
        ArrayExpr,
        ObjectExpr,
        IdentExpr,
        AccessExpr,
        IndexExpr,
        CallExpr,
        UnaryExpr,
        BinaryExpr,
        ParenExpr,
        BadExpr {
  Position position();
}
