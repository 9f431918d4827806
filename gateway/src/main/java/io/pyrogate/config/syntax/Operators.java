package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strings;
import java.util.List;
import java.util.Map;

/**
 * Alloy's operators on evaluated operands (as its {@code vm/op_unary.go} and {@code
 * vm/op_binary.go}): {@code !} and unary {@code -}; {@code == != < <= > >=}, {@code && ||} (both
 * sides evaluated, no short-circuit), {@code + - * / % ^} with Go's integer wrap-around, and {@code
 * +} on strings. A type error is reported at the offending operand.
 */
final class Operators {
  private Operators() {}

  private static EvaluationFailed fail(Diagnostics diags, Position at, String message) {
    return EvaluationFailed.report(diags, at, message);
  }

  /** {@code !v} or {@code -v}; a reference stays a reference. */
  static Value unary(UnaryExpr u, Value v, Diagnostics diags) {
    if (v instanceof ReferenceValue) {
      return new ReferenceValue(((ReferenceValue) v).path(), u.position());
    }
    if (u.op().equals("!")) {
      if (v instanceof BoolValue) {
        return new BoolValue(!((BoolValue) v).value(), u.position());
      }
      throw fail(
          diags, u.operand().position(), "operator '!' needs a bool, got " + Evaluator.describe(v));
    }
    if (v instanceof NumberValue) {
      return new NumberValue(-((NumberValue) v).value(), u.position());
    }
    if (v instanceof FloatValue) {
      return new FloatValue(-((FloatValue) v).value(), u.position());
    }
    throw fail(
        diags, u.operand().position(), "operator '-' needs a number, got " + Evaluator.describe(v));
  }

  /** {@code l op r}; anything computed from a reference is a reference naming the first one. */
  static Value binary(BinaryExpr b, Value l, Value r, Diagnostics diags) {
    ReferenceValue ref = Evaluator.firstReference(l);
    if (ref == null) {
      ref = Evaluator.firstReference(r);
    }
    if (ref != null) {
      return new ReferenceValue(ref.path(), b.position());
    }
    Position at = b.position();
    String op = b.op();
    switch (op) {
      case "==":
        return new BoolValue(valuesEqual(l, r), at);
      case "!=":
        return new BoolValue(!valuesEqual(l, r), at);
      case "||":
      case "&&":
        {
          if (!(l instanceof BoolValue)) {
            throw fail(
                diags,
                b.left().position(),
                "operator '" + op + "' needs two bools, got " + Evaluator.describe(l));
          }
          if (!(r instanceof BoolValue)) {
            throw fail(
                diags,
                b.right().position(),
                "operator '" + op + "' needs two bools, got " + Evaluator.describe(r));
          }
          boolean x = ((BoolValue) l).value();
          boolean y = ((BoolValue) r).value();
          return new BoolValue(op.equals("||") ? x || y : x && y, at);
        }
      case "<":
      case "<=":
      case ">":
      case ">=":
        return compare(b, l, r, diags);
      case "+":
        if (l instanceof StringValue && r instanceof StringValue) {
          return new StringValue(((StringValue) l).value() + ((StringValue) r).value(), at);
        }
        return arithmetic(b, l, r, diags);
      default:
        return arithmetic(b, l, r, diags);
    }
  }

  private static Value compare(BinaryExpr b, Value l, Value r, Diagnostics diags) {
    int c;
    if (l instanceof StringValue && r instanceof StringValue) {
      c = Strings.compare(((StringValue) l).value(), ((StringValue) r).value());
    } else if (isNumber(l) && isNumber(r)) {
      if (l instanceof NumberValue && r instanceof NumberValue) {
        c = Long.compare(((NumberValue) l).value(), ((NumberValue) r).value());
      } else {
        double x = toDouble(l);
        double y = toDouble(r);
        if (Double.isNaN(x) || Double.isNaN(y)) {
          return new BoolValue(false, b.position());
        }
        c = Double.compare(x == 0 ? 0.0 : x, y == 0 ? 0.0 : y);
      }
    } else {
      Position at =
          isNumber(l) || l instanceof StringValue ? b.right().position() : b.left().position();
      throw fail(
          diags,
          at,
          "cannot compare "
              + l.typeName()
              + " and "
              + r.typeName()
              + " with '"
              + b.op()
              + "' (both operands must be numbers or both strings)");
    }
    boolean result;
    switch (b.op()) {
      case "<":
        result = c < 0;
        break;
      case "<=":
        result = c <= 0;
        break;
      case ">":
        result = c > 0;
        break;
      default:
        result = c >= 0;
        break;
    }
    return new BoolValue(result, b.position());
  }

  private static Value arithmetic(BinaryExpr b, Value l, Value r, Diagnostics diags) {
    String op = b.op();
    if (!isNumber(l) || !isNumber(r)) {
      boolean plus = op.equals("+");
      boolean leftOk = isNumber(l) || (plus && l instanceof StringValue);
      Position at = leftOk ? b.right().position() : b.left().position();
      if (plus) {
        throw fail(
            diags,
            at,
            "cannot add "
                + l.typeName()
                + " and "
                + r.typeName()
                + " ('+' needs two numbers or two strings)");
      }
      throw fail(
          diags,
          at,
          "operator '" + op + "' needs two numbers, got " + l.typeName() + " and " + r.typeName());
    }
    Position at = b.position();
    if ((op.equals("/") || op.equals("%")) && toDouble(r) == 0) {
      throw fail(diags, b.right().position(), "division by zero");
    }
    if (l instanceof NumberValue && r instanceof NumberValue) {
      long x = ((NumberValue) l).value();
      long y = ((NumberValue) r).value();
      switch (op) {
        case "+":
          return new NumberValue(x + y, at);
        case "-":
          return new NumberValue(x - y, at);
        case "*":
          return new NumberValue(x * y, at);
        case "/":
          return new NumberValue(x / y, at);
        case "%":
          return new NumberValue(x % y, at);
        default:
          if (y < 0) {
            return new FloatValue(Math.pow(x, y), at);
          }
          return new NumberValue(power(x, y), at);
      }
    }
    double x = toDouble(l);
    double y = toDouble(r);
    switch (op) {
      case "+":
        return new FloatValue(x + y, at);
      case "-":
        return new FloatValue(x - y, at);
      case "*":
        return new FloatValue(x * y, at);
      case "/":
        return new FloatValue(x / y, at);
      case "%":
        return new FloatValue(x % y, at);
      default:
        return new FloatValue(Math.pow(x, y), at);
    }
  }

  /** Alloy equality: any two values may be compared; 3 == 3.0; different types are never equal. */
  static boolean valuesEqual(Value a, Value b) {
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof NumberValue && b instanceof NumberValue) {
        return ((NumberValue) a).value() == ((NumberValue) b).value();
      }
      return toDouble(a) == toDouble(b);
    }
    if (a instanceof StringValue && b instanceof StringValue) {
      return ((StringValue) a).value().equals(((StringValue) b).value());
    }
    if (a instanceof BoolValue && b instanceof BoolValue) {
      return ((BoolValue) a).value() == ((BoolValue) b).value();
    }
    if (a instanceof NullValue && b instanceof NullValue) {
      return true;
    }
    if (a instanceof ArrayValue && b instanceof ArrayValue) {
      List<Value> x = ((ArrayValue) a).elements();
      List<Value> y = ((ArrayValue) b).elements();
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!valuesEqual(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ObjectValue && b instanceof ObjectValue) {
      ObjectValue x = (ObjectValue) a;
      ObjectValue y = (ObjectValue) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<String, Value> e : x.fields().entrySet()) {
        Value other = y.get(e.getKey());
        if (other == null || !valuesEqual(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isNumber(Value v) {
    return v instanceof NumberValue || v instanceof FloatValue;
  }

  private static double toDouble(Value v) {
    return v instanceof NumberValue ? ((NumberValue) v).value() : ((FloatValue) v).value();
  }

  /** Integer power with Go's wrap-around on overflow, by squaring. */
  private static long power(long base, long exponent) {
    long result = 1;
    long b = base;
    long e = exponent;
    while (e > 0) {
      if ((e & 1) == 1) {
        result *= b;
      }
      b *= b;
      e >>= 1;
    }
    return result;
  }
}
