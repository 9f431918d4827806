package io.pyrogate.config.syntax;

/**
 * Thrown after an error diagnostic was reported, to abandon the expression being evaluated; the
 * evaluator turns it into an {@link ErrorValue}.
 */
final class EvaluationFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EvaluationFailed() {
    super(null, null, false, false);
  }

  /**
   * Reports {@code message} as an error at {@code at} and returns the exception that abandons the
   * expression.
   */
  static EvaluationFailed report(Diagnostics diags, Position at, String message) {
    diags.error(at, message);
    return new EvaluationFailed();
  }
}
