package io.pyrogate.config.syntax;

/**
 * The result of evaluating an expression. Every value carries the position of the expression it
 * came from, so later stages can point at it.
 *
 * <p>Two values are not data: {@link ReferenceValue} (depends on another component's export, which
 * only the component graph can resolve) and {@link ErrorValue} (an error was already reported; skip
 * it).
 */
public sealed interface Value
    permits StringValue,
        NumberValue,
        FloatValue,
        BoolValue,
        NullValue,
        ArrayValue,
        ObjectValue,
        ReferenceValue,
        ErrorValue {

  Position position();

  /**
   * The user-facing type name used in messages: {@code string}, {@code number}, {@code bool},
   * {@code null}, {@code array}, {@code object}, {@code reference} or {@code error}. Integers and
   * floats are both {@code number}, as in Alloy.
   */
  default String typeName() {
    if (this instanceof StringValue) {
      return "string";
    } else if (this instanceof NumberValue || this instanceof FloatValue) {
      return "number";
    } else if (this instanceof BoolValue) {
      return "bool";
    } else if (this instanceof NullValue) {
      return "null";
    } else if (this instanceof ArrayValue) {
      return "array";
    } else if (this instanceof ObjectValue) {
      return "object";
    } else if (this instanceof ReferenceValue) {
      return "reference";
    }
    return "error";
  }
}
