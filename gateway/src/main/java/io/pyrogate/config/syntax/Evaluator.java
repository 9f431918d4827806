package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Evaluates attribute values (as Alloy's {@code syntax/vm}): walks an expression, evaluating
 * literals, arrays, objects, indexing, identifiers and references to other components, and hands
 * evaluated operands to {@link Operators}, calls to {@link Stdlib} and the {@code constants} object
 * to {@link Constants}.
 *
 * <p>What the evaluator cannot know, it does not guess: an identifier chain such as {@code
 * pyroscope.write.staging.receiver} or {@code remote.kubernetes.secret.creds.data["url"]} becomes a
 * {@link ReferenceValue}, and anything computed from a reference is a reference naming the first
 * one involved (so {@code "x" + local.file.a.content} depends on {@code local.file.a.content}).
 * Arrays and objects keep references as elements. {@code coalesce} returns an earlier non-empty
 * argument without looking at later references.
 *
 * <p>Errors become diagnostics at the position of the offending expression and the result is an
 * {@link ErrorValue}; an expression containing an error is itself an {@link ErrorValue}.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class Evaluator {

  private final Function<String, String> environment;
  private final String hostname;

  /**
   * @param environment looks up environment variables; a {@code null} result means unset, which
   *     reads as {@code ""} as in Alloy
   * @param hostname the value of {@code constants.hostname}
   */
  public Evaluator(Function<String, String> environment, String hostname) {
    this.environment = environment == null ? name -> null : environment;
    this.hostname = hostname == null ? "" : hostname;
  }

  /** Evaluates {@code expr}, reporting problems to {@code diags}. Never throws on bad input. */
  public Value evaluate(Expr expr, Diagnostics diags) {
    Objects.requireNonNull(expr, "expr");
    Objects.requireNonNull(diags, "diags");
    try {
      return new Run(diags).eval(expr);
    } catch (EvaluationFailed e) {
      return new ErrorValue(expr.position());
    } catch (RuntimeException e) {
      diags.error(expr.position(), "internal error while evaluating this expression: " + e);
      return new ErrorValue(expr.position());
    }
  }

  // ---------------------------------------------------------------- one evaluation

  private final class Run {
    private final Diagnostics diags;

    Run(Diagnostics diags) {
      this.diags = diags;
    }

    private EvaluationFailed fail(Position at, String message) {
      return EvaluationFailed.report(diags, at, message);
    }

    Value eval(Expr e) {
      try {
        return evalUnchecked(e);
      } catch (EvaluationFailed f) {
        return new ErrorValue(e.position());
      }
    }

    private Value evalUnchecked(Expr e) {
      Position at = e.position();
      if (e instanceof StringLit) {
        return new StringValue(((StringLit) e).value(), at);
      } else if (e instanceof NumberLit) {
        return new NumberValue(((NumberLit) e).value(), at);
      } else if (e instanceof FloatLit) {
        return new FloatValue(((FloatLit) e).value(), at);
      } else if (e instanceof BoolLit) {
        return new BoolValue(((BoolLit) e).value(), at);
      } else if (e instanceof NullLit) {
        return new NullValue(at);
      } else if (e instanceof BadExpr) {
        return new ErrorValue(at);
      } else if (e instanceof ParenExpr) {
        return withPosition(eval(((ParenExpr) e).inner()), at);
      } else if (e instanceof ArrayExpr) {
        return evalArray((ArrayExpr) e);
      } else if (e instanceof ObjectExpr) {
        return evalObject((ObjectExpr) e);
      } else if (e instanceof IdentExpr) {
        return evalIdent((IdentExpr) e);
      } else if (e instanceof AccessExpr) {
        return evalAccess((AccessExpr) e);
      } else if (e instanceof IndexExpr) {
        return evalIndex((IndexExpr) e);
      } else if (e instanceof CallExpr) {
        return evalCall((CallExpr) e);
      } else if (e instanceof UnaryExpr) {
        return evalUnary((UnaryExpr) e);
      } else if (e instanceof BinaryExpr) {
        return evalBinary((BinaryExpr) e);
      }
      throw fail(at, "unsupported expression");
    }

    private Value evalArray(ArrayExpr a) {
      List<Value> out = new ArrayList<>(a.elements().size());
      boolean failed = false;
      for (Expr element : a.elements()) {
        Value v = eval(element);
        failed |= v instanceof ErrorValue;
        out.add(v);
      }
      return failed ? new ErrorValue(a.position()) : new ArrayValue(out, a.position());
    }

    private Value evalObject(ObjectExpr o) {
      LinkedHashMap<String, Value> out = new LinkedHashMap<>();
      boolean failed = false;
      for (ObjectExpr.Field f : o.fields()) {
        Value v = eval(f.value());
        failed |= v instanceof ErrorValue;
        if (out.containsKey(f.key())) {
          diags.warning(
              f.keyPosition(),
              "duplicate key " + Strconv.quote(f.key()) + " in object; the last value wins");
        }
        out.put(f.key(), v);
      }
      return failed ? new ErrorValue(o.position()) : new ObjectValue(out, o.position());
    }

    private Value evalIdent(IdentExpr id) {
      String name = id.name();
      if (name.equals(Constants.NAME)) {
        return Constants.object(hostname, id.position());
      }
      if (Stdlib.isNamespace(name)) {
        throw fail(
            id.position(),
            Strconv.quote(name) + " is a namespace of standard library functions, not a value");
      }
      if (Stdlib.isFunction(name)) {
        throw fail(
            id.position(), name + " is a function and must be called, e.g. " + name + "(...)");
      }
      throw fail(
          id.position(),
          "identifier "
              + Strconv.quote(name)
              + " does not exist (if you meant the text "
              + Strconv.quote(name)
              + ", quote it)");
    }

    private Value evalAccess(AccessExpr a) {
      List<String> chain = identChain(a);
      if (chain != null) {
        String root = chain.get(0);
        String full = String.join(".", chain);
        if (root.equals(Constants.NAME)) {
          ObjectValue c = Constants.object(hostname, a.position());
          if (chain.size() == 2 && c.has(chain.get(1))) {
            return withPosition(c.get(chain.get(1)), a.position());
          }
          throw fail(
              a.position(),
              "unknown constant " + full + " (available: " + Constants.AVAILABLE + ")");
        }
        if (Stdlib.isNamespace(root) || Stdlib.isFunction(root)) {
          if (Stdlib.isFunction(full)) {
            throw fail(
                a.position(), full + " is a function and must be called, e.g. " + full + "(...)");
          }
          throw fail(a.position(), full + " does not exist in the standard library");
        }
        return new ReferenceValue(full, a.position());
      }
      Value target = eval(a.target());
      if (target instanceof ErrorValue) {
        throw new EvaluationFailed();
      }
      if (target instanceof ReferenceValue) {
        return new ReferenceValue(((ReferenceValue) target).path() + "." + a.name(), a.position());
      }
      if (target instanceof ObjectValue) {
        ObjectValue o = (ObjectValue) target;
        if (!o.has(a.name())) {
          throw fail(
              a.position(), "field " + Strconv.quote(a.name()) + " does not exist in the object");
        }
        return withPosition(o.get(a.name()), a.position());
      }
      throw fail(
          a.position(),
          "cannot access field " + Strconv.quote(a.name()) + " of " + describe(target));
    }

    private Value evalIndex(IndexExpr ix) {
      Value target = eval(ix.target());
      Value index = eval(ix.index());
      if (target instanceof ErrorValue || index instanceof ErrorValue) {
        throw new EvaluationFailed();
      }
      if (target instanceof ReferenceValue) {
        String path = ((ReferenceValue) target).path();
        if (index instanceof ReferenceValue) {
          return new ReferenceValue(path, ix.position());
        }
        return new ReferenceValue(
            path + "[" + renderIndex(index, ix.index().position()) + "]", ix.position());
      }
      if (index instanceof ReferenceValue) {
        return new ReferenceValue(((ReferenceValue) index).path(), ix.position());
      }
      if (target instanceof ArrayValue) {
        List<Value> elements = ((ArrayValue) target).elements();
        long i = arrayIndex(index, ix.index().position());
        if (i < 0 || i >= elements.size()) {
          throw fail(
              ix.index().position(),
              "index " + i + " is out of range for an array of length " + elements.size());
        }
        return withPosition(elements.get((int) i), ix.position());
      }
      if (target instanceof ObjectValue) {
        if (!(index instanceof StringValue)) {
          throw fail(
              ix.index().position(), "an object is indexed with a string, got " + describe(index));
        }
        Value v = ((ObjectValue) target).get(((StringValue) index).value());
        // As in Alloy, a missing key read with [] is null (reading it with . is an error).
        return v == null ? new NullValue(ix.position()) : withPosition(v, ix.position());
      }
      throw fail(
          ix.position(),
          "cannot index " + describe(target) + "; only arrays and objects can be indexed");
    }

    private long arrayIndex(Value index, Position at) {
      if (index instanceof NumberValue) {
        return ((NumberValue) index).value();
      }
      if (index instanceof FloatValue) {
        double d = ((FloatValue) index).value();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          return (long) d;
        }
        throw fail(
            at, "an array index must be a whole number, got " + GoFormat.formatFloatPlain(d));
      }
      throw fail(at, "an array is indexed with a number, got " + describe(index));
    }

    private String renderIndex(Value index, Position at) {
      if (index instanceof StringValue) {
        return Strconv.quote(((StringValue) index).value());
      } else if (index instanceof NumberValue) {
        return Long.toString(((NumberValue) index).value());
      } else if (index instanceof FloatValue) {
        return GoFormat.formatFloatPlain(((FloatValue) index).value());
      }
      throw fail(at, "an index must be a string or a number, got " + describe(index));
    }

    // ---------------------------------------------------------------- operators and calls

    private Value evalUnary(UnaryExpr u) {
      Value v = eval(u.operand());
      if (v instanceof ErrorValue) {
        throw new EvaluationFailed();
      }
      return Operators.unary(u, v, diags);
    }

    private Value evalBinary(BinaryExpr b) {
      // Alloy evaluates both sides of && and || too (no short-circuit), so a type error on either
      // side shows.
      Value l = eval(b.left());
      Value r = eval(b.right());
      if (l instanceof ErrorValue || r instanceof ErrorValue) {
        throw new EvaluationFailed();
      }
      return Operators.binary(b, l, r, diags);
    }

    private Value evalCall(CallExpr c) {
      List<String> chain = identChain(c.function());
      if (chain == null) {
        Value f = eval(c.function());
        if (f instanceof ErrorValue) {
          throw new EvaluationFailed();
        }
        throw fail(
            c.position(),
            "cannot call " + describe(f) + "; only standard library functions can be called");
      }
      String name = String.join(".", chain);
      Stdlib.Builtin fn = Stdlib.resolve(name, c, diags);
      List<Value> args = new ArrayList<>(c.args().size());
      boolean failed = false;
      for (Expr a : c.args()) {
        Value v = eval(a);
        failed |= v instanceof ErrorValue;
        args.add(v);
      }
      if (failed) {
        throw new EvaluationFailed();
      }
      return fn.call(c, args, diags, environment);
    }
  }

  // ---------------------------------------------------------------- value helpers

  /** The first reference in a value, looking inside arrays and objects. */
  static ReferenceValue firstReference(Value v) {
    if (v instanceof ReferenceValue) {
      return (ReferenceValue) v;
    } else if (v instanceof ArrayValue) {
      for (Value e : ((ArrayValue) v).elements()) {
        ReferenceValue r = firstReference(e);
        if (r != null) {
          return r;
        }
      }
    } else if (v instanceof ObjectValue) {
      for (Value e : ((ObjectValue) v).fields().values()) {
        ReferenceValue r = firstReference(e);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** "a string", "an array", "null" ... for messages. */
  static String describe(Value v) {
    if (v instanceof NullValue) {
      return "null";
    }
    String t = v.typeName();
    return (t.startsWith("a") || t.startsWith("o") || t.startsWith("e") ? "an " : "a ") + t;
  }

  private static List<String> identChain(Expr e) {
    if (e instanceof IdentExpr) {
      List<String> chain = new ArrayList<>();
      chain.add(((IdentExpr) e).name());
      return chain;
    }
    if (e instanceof AccessExpr) {
      List<String> chain = identChain(((AccessExpr) e).target());
      if (chain != null) {
        chain.add(((AccessExpr) e).name());
      }
      return chain;
    }
    return null;
  }

  /** The same value, carrying another position. */
  static Value withPosition(Value v, Position p) {
    if (v.position().equals(p)) {
      return v;
    }
    if (v instanceof StringValue) {
      return new StringValue(((StringValue) v).value(), p);
    } else if (v instanceof NumberValue) {
      return new NumberValue(((NumberValue) v).value(), p);
    } else if (v instanceof FloatValue) {
      return new FloatValue(((FloatValue) v).value(), p);
    } else if (v instanceof BoolValue) {
      return new BoolValue(((BoolValue) v).value(), p);
    } else if (v instanceof NullValue) {
      return new NullValue(p);
    } else if (v instanceof ArrayValue) {
      return new ArrayValue(((ArrayValue) v).elements(), p);
    } else if (v instanceof ObjectValue) {
      return new ObjectValue(((ObjectValue) v).fields(), p);
    } else if (v instanceof ReferenceValue) {
      return new ReferenceValue(((ReferenceValue) v).path(), p);
    }
    return new ErrorValue(p);
  }
}
