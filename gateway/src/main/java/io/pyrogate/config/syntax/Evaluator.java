package io.pyrogate.config.syntax;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

import io.pyrogate.golang.Base64;
import io.pyrogate.golang.FilePath;
import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Strings;
import io.pyrogate.golang.Url;

/**
 * Evaluates attribute values: literals, arrays, objects, operators, indexing, the Alloy standard library
 * functions real configs use, and references to other components.
 *
 * <p>What the evaluator cannot know, it does not guess: an identifier chain such as
 * {@code pyroscope.write.staging.receiver} or {@code remote.kubernetes.secret.creds.data["url"]} becomes a
 * {@link ReferenceValue}, and anything computed from a reference is a reference naming the first one
 * involved (so {@code "x" + local.file.a.content} depends on {@code local.file.a.content}). Arrays and objects
 * keep references as elements. {@code coalesce} returns an earlier non-empty argument without looking at
 * later references.
 *
 * <p>Errors become diagnostics at the position of the offending expression and the result is an
 * {@link ErrorValue}; an expression containing an error is itself an {@link ErrorValue}. Deprecated stdlib
 * names (e.g. {@code env}) work and produce a warning.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class Evaluator {

  private static final Map<String, Builtin> BUILTINS = new LinkedHashMap<>();
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "encoding.from_yaml", "YAML decoding",
      "yaml_decode", "YAML decoding",
      "json_path", "JSONPath queries",
      "array.combine_maps", "combining arrays of maps",
      "array.group_by", "grouping arrays");
  private static final List<String> NAMESPACES = List.of("sys", "string", "encoding", "array", "convert", "file");
  private static final String VERSION = loadVersion();

  private final Function<String, String> environment;
  private final String hostname;

  /**
   * @param environment looks up environment variables; a {@code null} result means unset, which reads as
   *     {@code ""} as in Alloy
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
    } catch (Failed e) {
      return new ErrorValue(expr.position());
    } catch (RuntimeException e) {
      diags.error(expr.position(), "internal error while evaluating this expression: " + e);
      return new ErrorValue(expr.position());
    }
  }

  /** Go's GOOS name for a Java {@code os.name}. */
  static String goOs(String osName) {
    String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (n.contains("linux")) {
      return "linux";
    } else if (n.contains("mac") || n.contains("darwin")) {
      return "darwin";
    } else if (n.contains("windows")) {
      return "windows";
    } else if (n.contains("freebsd")) {
      return "freebsd";
    } else if (n.contains("openbsd")) {
      return "openbsd";
    } else if (n.contains("netbsd")) {
      return "netbsd";
    } else if (n.contains("sunos") || n.contains("solaris")) {
      return "solaris";
    } else if (n.contains("aix")) {
      return "aix";
    }
    return n.replace(" ", "");
  }

  /** Go's GOARCH name for a Java {@code os.arch}. */
  static String goArch(String osArch) {
    String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
    switch (a) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "386";
      case "ppc64le":
      case "ppc64":
      case "s390x":
      case "riscv64":
      case "arm":
      case "mips64":
      case "mips64el":
      case "loong64":
        return a;
      default:
        return a.startsWith("arm") ? "arm" : a;
    }
  }

  private static String loadVersion() {
    try (InputStream in = Evaluator.class.getResourceAsStream("/io/pyrogate/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
          return v.startsWith("v") ? v : "v" + v;
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through: an unknown version is not an error in a config
    }
    return "unknown";
  }

  /** Thrown after an error diagnostic was reported, to abandon the current expression. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed() {
      super(null, null, false, false);
    }
  }

  /** A standard library function. {@code maxArgs < 0}: any number. */
  private record Builtin(String name, int minArgs, int maxArgs, String replacement, Impl impl) {}

  @FunctionalInterface
  private interface Impl {
    Value call(Run run, Call call);
  }

  /** The arguments and context of one call. */
  private record Call(String name, CallExpr expr, List<Value> args) {
    Position position() {
      return expr.position();
    }

    Position argPosition(int i) {
      return i < expr.args().size() ? expr.args().get(i).position() : expr.position();
    }
  }

  // ---------------------------------------------------------------- one evaluation

  private final class Run {
    private final Diagnostics diags;

    Run(Diagnostics diags) {
      this.diags = diags;
    }

    private Failed fail(Position at, String message) {
      diags.error(at, message);
      return new Failed();
    }

    Value eval(Expr e) {
      try {
        return evalUnchecked(e);
      } catch (Failed f) {
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
          diags.warning(f.keyPosition(), "duplicate key " + Strconv.quote(f.key()) + " in object; the last value wins");
        }
        out.put(f.key(), v);
      }
      return failed ? new ErrorValue(o.position()) : new ObjectValue(out, o.position());
    }

    private Value evalIdent(IdentExpr id) {
      String name = id.name();
      if (name.equals("constants")) {
        return constants(id.position());
      }
      if (NAMESPACES.contains(name)) {
        throw fail(id.position(), Strconv.quote(name) + " is a namespace of standard library functions, not a value");
      }
      if (BUILTINS.containsKey(name) || UNSUPPORTED.containsKey(name)) {
        throw fail(id.position(), name + " is a function and must be called, e.g. " + name + "(...)");
      }
      throw fail(id.position(), "identifier " + Strconv.quote(name) + " does not exist (if you meant the text "
          + Strconv.quote(name) + ", quote it)");
    }

    private Value evalAccess(AccessExpr a) {
      List<String> chain = identChain(a);
      if (chain != null) {
        String root = chain.get(0);
        String full = String.join(".", chain);
        if (root.equals("constants")) {
          ObjectValue c = constants(a.position());
          if (chain.size() == 2 && c.has(chain.get(1))) {
            return withPosition(c.get(chain.get(1)), a.position());
          }
          throw fail(a.position(), "unknown constant " + full
              + " (available: constants.hostname, constants.os, constants.arch, constants.version)");
        }
        if (NAMESPACES.contains(root) || BUILTINS.containsKey(root) || UNSUPPORTED.containsKey(root)) {
          if (BUILTINS.containsKey(full) || UNSUPPORTED.containsKey(full)) {
            throw fail(a.position(), full + " is a function and must be called, e.g. " + full + "(...)");
          }
          throw fail(a.position(), full + " does not exist in the standard library");
        }
        return new ReferenceValue(full, a.position());
      }
      Value target = eval(a.target());
      if (target instanceof ErrorValue) {
        throw new Failed();
      }
      if (target instanceof ReferenceValue) {
        return new ReferenceValue(((ReferenceValue) target).path() + "." + a.name(), a.position());
      }
      if (target instanceof ObjectValue) {
        ObjectValue o = (ObjectValue) target;
        if (!o.has(a.name())) {
          throw fail(a.position(), "field " + Strconv.quote(a.name()) + " does not exist in the object");
        }
        return withPosition(o.get(a.name()), a.position());
      }
      throw fail(a.position(), "cannot access field " + Strconv.quote(a.name()) + " of " + describe(target));
    }

    private Value evalIndex(IndexExpr ix) {
      Value target = eval(ix.target());
      Value index = eval(ix.index());
      if (target instanceof ErrorValue || index instanceof ErrorValue) {
        throw new Failed();
      }
      if (target instanceof ReferenceValue) {
        String path = ((ReferenceValue) target).path();
        if (index instanceof ReferenceValue) {
          return new ReferenceValue(path, ix.position());
        }
        return new ReferenceValue(path + "[" + renderIndex(index, ix.index().position()) + "]", ix.position());
      }
      if (index instanceof ReferenceValue) {
        return new ReferenceValue(((ReferenceValue) index).path(), ix.position());
      }
      if (target instanceof ArrayValue) {
        List<Value> elements = ((ArrayValue) target).elements();
        long i = arrayIndex(index, ix.index().position());
        if (i < 0 || i >= elements.size()) {
          throw fail(ix.index().position(), "index " + i + " is out of range for an array of length " + elements.size());
        }
        return withPosition(elements.get((int) i), ix.position());
      }
      if (target instanceof ObjectValue) {
        if (!(index instanceof StringValue)) {
          throw fail(ix.index().position(), "an object is indexed with a string, got " + describe(index));
        }
        Value v = ((ObjectValue) target).get(((StringValue) index).value());
        // As in Alloy, a missing key read with [] is null (reading it with . is an error).
        return v == null ? new NullValue(ix.position()) : withPosition(v, ix.position());
      }
      throw fail(ix.position(), "cannot index " + describe(target) + "; only arrays and objects can be indexed");
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
        throw fail(at, "an array index must be a whole number, got " + GoFormat.formatFloatPlain(d));
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

    // ---------------------------------------------------------------- operators

    private Value evalUnary(UnaryExpr u) {
      Value v = eval(u.operand());
      if (v instanceof ErrorValue) {
        throw new Failed();
      }
      if (v instanceof ReferenceValue) {
        return new ReferenceValue(((ReferenceValue) v).path(), u.position());
      }
      if (u.op().equals("!")) {
        if (v instanceof BoolValue) {
          return new BoolValue(!((BoolValue) v).value(), u.position());
        }
        throw fail(u.operand().position(), "operator '!' needs a bool, got " + describe(v));
      }
      if (v instanceof NumberValue) {
        return new NumberValue(-((NumberValue) v).value(), u.position());
      }
      if (v instanceof FloatValue) {
        return new FloatValue(-((FloatValue) v).value(), u.position());
      }
      throw fail(u.operand().position(), "operator '-' needs a number, got " + describe(v));
    }

    private Value evalBinary(BinaryExpr b) {
      // Alloy evaluates both sides of && and || too (no short-circuit), so a type error on either side shows.
      Value l = eval(b.left());
      Value r = eval(b.right());
      if (l instanceof ErrorValue || r instanceof ErrorValue) {
        throw new Failed();
      }
      ReferenceValue ref = firstReference(l);
      if (ref == null) {
        ref = firstReference(r);
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
        case "&&": {
          if (!(l instanceof BoolValue)) {
            throw fail(b.left().position(), "operator '" + op + "' needs two bools, got " + describe(l));
          }
          if (!(r instanceof BoolValue)) {
            throw fail(b.right().position(), "operator '" + op + "' needs two bools, got " + describe(r));
          }
          boolean x = ((BoolValue) l).value();
          boolean y = ((BoolValue) r).value();
          return new BoolValue(op.equals("||") ? x || y : x && y, at);
        }
        case "<":
        case "<=":
        case ">":
        case ">=":
          return compare(b, l, r);
        case "+":
          if (l instanceof StringValue && r instanceof StringValue) {
            return new StringValue(((StringValue) l).value() + ((StringValue) r).value(), at);
          }
          return arithmetic(b, l, r);
        default:
          return arithmetic(b, l, r);
      }
    }

    private Value compare(BinaryExpr b, Value l, Value r) {
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
        Position at = isNumber(l) || l instanceof StringValue ? b.right().position() : b.left().position();
        throw fail(at, "cannot compare " + l.typeName() + " and " + r.typeName() + " with '" + b.op()
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

    private Value arithmetic(BinaryExpr b, Value l, Value r) {
      String op = b.op();
      if (!isNumber(l) || !isNumber(r)) {
        boolean plus = op.equals("+");
        boolean leftOk = isNumber(l) || (plus && l instanceof StringValue);
        Position at = leftOk ? b.right().position() : b.left().position();
        if (plus) {
          throw fail(at, "cannot add " + l.typeName() + " and " + r.typeName()
              + " ('+' needs two numbers or two strings)");
        }
        throw fail(at, "operator '" + op + "' needs two numbers, got " + l.typeName() + " and " + r.typeName());
      }
      Position at = b.position();
      if ((op.equals("/") || op.equals("%")) && toDouble(r) == 0) {
        throw fail(b.right().position(), "division by zero");
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

    // ---------------------------------------------------------------- calls

    private Value evalCall(CallExpr c) {
      List<String> chain = identChain(c.function());
      if (chain == null) {
        Value f = eval(c.function());
        if (f instanceof ErrorValue) {
          throw new Failed();
        }
        throw fail(c.position(), "cannot call " + describe(f) + "; only standard library functions can be called");
      }
      String name = String.join(".", chain);
      Builtin fn = BUILTINS.get(name);
      if (fn == null) {
        if (UNSUPPORTED.containsKey(name)) {
          throw fail(c.position(), "function " + name + " (" + UNSUPPORTED.get(name) + ") is not supported by pyrogate");
        }
        throw fail(c.position(), "unknown function " + name);
      }
      if (fn.replacement() != null) {
        diags.warning(c.position(), name + " is deprecated; use " + fn.replacement() + " instead");
      }
      int n = c.args().size();
      if (n < fn.minArgs() || (fn.maxArgs() >= 0 && n > fn.maxArgs())) {
        String expected;
        if (fn.maxArgs() == fn.minArgs()) {
          expected = fn.minArgs() + " argument" + (fn.minArgs() == 1 ? "" : "s");
        } else if (fn.maxArgs() < 0) {
          expected = "at least " + fn.minArgs() + " argument" + (fn.minArgs() == 1 ? "" : "s");
        } else {
          expected = fn.minArgs() + " to " + fn.maxArgs() + " arguments";
        }
        throw fail(c.position(), name + " expects " + expected + ", got " + n);
      }
      List<Value> args = new ArrayList<>(n);
      boolean failed = false;
      for (Expr a : c.args()) {
        Value v = eval(a);
        failed |= v instanceof ErrorValue;
        args.add(v);
      }
      if (failed) {
        throw new Failed();
      }
      Call call = new Call(name, c, args);
      return fn.impl().call(this, call);
    }

    /** A reference anywhere in the arguments makes the call's result a reference (most functions). */
    private ReferenceValue referenceIn(Call call) {
      for (Value v : call.args()) {
        ReferenceValue r = firstReference(v);
        if (r != null) {
          return new ReferenceValue(r.path(), call.position());
        }
      }
      return null;
    }

    String stringArg(Call call, int i) {
      Value v = call.args().get(i);
      if (v instanceof StringValue) {
        return ((StringValue) v).value();
      } else if (v instanceof NumberValue) {
        return Long.toString(((NumberValue) v).value());
      } else if (v instanceof FloatValue) {
        return GoFormat.formatFloatPlain(((FloatValue) v).value());
      }
      throw fail(call.argPosition(i), "argument " + (i + 1) + " of " + call.name() + " must be a string, got "
          + describe(v));
    }

    List<Value> arrayArg(Call call, int i) {
      Value v = call.args().get(i);
      if (v instanceof ArrayValue) {
        return ((ArrayValue) v).elements();
      }
      throw fail(call.argPosition(i), "argument " + (i + 1) + " of " + call.name() + " must be an array, got "
          + describe(v));
    }

    /** Applies a string function of string arguments, with reference propagation. */
    Value strings(Call call, Function<String[], String> f) {
      ReferenceValue ref = referenceIn(call);
      if (ref != null) {
        return ref;
      }
      String[] s = new String[call.args().size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = stringArg(call, i);
      }
      return new StringValue(f.apply(s), call.position());
    }

    String env(String name) {
      return environment.apply(name);
    }

    Value decoded(Call call, boolean url) {
      ReferenceValue ref = referenceIn(call);
      if (ref != null) {
        return ref;
      }
      try {
        return new StringValue(Base64.decode(stringArg(call, 0), url), call.position());
      } catch (IllegalArgumentException e) {
        throw fail(call.argPosition(0), call.name() + ": " + e.getMessage());
      }
    }

    private ObjectValue constants(Position at) {
      LinkedHashMap<String, Value> m = new LinkedHashMap<>();
      m.put("hostname", new StringValue(hostname, at));
      m.put("os", new StringValue(goOs(System.getProperty("os.name")), at));
      m.put("arch", new StringValue(goArch(System.getProperty("os.arch")), at));
      m.put("version", new StringValue(VERSION, at));
      return new ObjectValue(m, at);
    }
  }

  // ---------------------------------------------------------------- the standard library

  private static void define(String name, int min, int max, Impl impl, String... deprecatedAliases) {
    BUILTINS.put(name, new Builtin(name, min, max, null, impl));
    for (String alias : deprecatedAliases) {
      BUILTINS.put(alias, new Builtin(alias, min, max, name, impl));
    }
  }

  static {
    define("sys.env", 1, 1, (run, c) -> run.strings(c, s -> {
      String v = run.env(s[0]);
      return v == null ? "" : v;
    }), "env");
    define("coalesce", 0, -1, Evaluator::coalesce);
    define("convert.nonsensitive", 1, 1, (run, c) -> run.strings(c, s -> s[0]), "nonsensitive");

    define("string.format", 1, -1, Evaluator::format, "format");
    define("string.join", 2, 2, (run, c) -> {
      ReferenceValue ref = run.referenceIn(c);
      if (ref != null) {
        return ref;
      }
      List<Value> elements = run.arrayArg(c, 0);
      String sep = run.stringArg(c, 1);
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < elements.size(); i++) {
        Value e = elements.get(i);
        if (e instanceof StringValue) {
          parts.add(((StringValue) e).value());
        } else if (e instanceof NumberValue) {
          parts.add(Long.toString(((NumberValue) e).value()));
        } else if (e instanceof FloatValue) {
          parts.add(GoFormat.formatFloatPlain(((FloatValue) e).value()));
        } else {
          throw run.fail(c.argPosition(0), "element " + i + " of the array given to " + c.name()
              + " must be a string, got " + describe(e));
        }
      }
      return new StringValue(String.join(sep, parts), c.position());
    }, "join");
    define("string.replace", 3, 3, (run, c) -> run.strings(c, s -> Strings.replaceAll(s[0], s[1], s[2])), "replace");
    define("string.split", 2, 2, (run, c) -> {
      ReferenceValue ref = run.referenceIn(c);
      if (ref != null) {
        return ref;
      }
      List<Value> parts = new ArrayList<>();
      for (String part : Strings.split(run.stringArg(c, 0), run.stringArg(c, 1))) {
        parts.add(new StringValue(part, c.position()));
      }
      return new ArrayValue(parts, c.position());
    }, "split");
    define("string.to_lower", 1, 1, (run, c) -> run.strings(c, s -> Strings.toLower(s[0])), "to_lower");
    define("string.to_upper", 1, 1, (run, c) -> run.strings(c, s -> Strings.toUpper(s[0])), "to_upper");
    define("string.trim", 2, 2, (run, c) -> run.strings(c, s -> Strings.trim(s[0], s[1])), "trim");
    define("string.trim_prefix", 2, 2,
        (run, c) -> run.strings(c, s -> s[0].startsWith(s[1]) ? s[0].substring(s[1].length()) : s[0]), "trim_prefix");
    define("string.trim_suffix", 2, 2, (run, c) -> run.strings(c,
        s -> s[0].endsWith(s[1]) ? s[0].substring(0, s[0].length() - s[1].length()) : s[0]), "trim_suffix");
    define("string.trim_space", 1, 1, (run, c) -> run.strings(c, s -> Strings.trimSpace(s[0])), "trim_space");

    define("encoding.from_base64", 1, 1, (run, c) -> run.decoded(c, false), "base64_decode");
    define("encoding.from_URLbase64", 1, 1, (run, c) -> run.decoded(c, true));
    define("encoding.to_base64", 1, 1, (run, c) -> run.strings(c, s -> Base64.encode(s[0], false)));
    define("encoding.to_URLbase64", 1, 1, (run, c) -> run.strings(c, s -> Base64.encode(s[0], true)));
    define("encoding.url_encode", 1, 1, (run, c) -> run.strings(c, s -> Url.queryEscape(s[0])));
    define("encoding.url_decode", 1, 1, (run, c) -> {
      ReferenceValue ref = run.referenceIn(c);
      if (ref != null) {
        return ref;
      }
      try {
        return new StringValue(Url.queryUnescape(run.stringArg(c, 0)), c.position());
      } catch (IllegalArgumentException e) {
        throw run.fail(c.argPosition(0), c.name() + ": " + e.getMessage());
      }
    });
    define("encoding.from_json", 1, 1, (run, c) -> {
      ReferenceValue ref = run.referenceIn(c);
      if (ref != null) {
        return ref;
      }
      try {
        return Json.parse(run.stringArg(c, 0), c.position());
      } catch (IllegalArgumentException e) {
        throw run.fail(c.argPosition(0), c.name() + ": invalid JSON: " + e.getMessage());
      }
    }, "json_decode");
    define("encoding.to_json", 1, 1, (run, c) -> {
      ReferenceValue ref = run.referenceIn(c);
      if (ref != null) {
        return ref;
      }
      Value v = c.args().get(0);
      if (!(v instanceof ObjectValue)) {
        throw run.fail(c.argPosition(0), c.name() + " only supports objects, got " + describe(v));
      }
      try {
        return new StringValue(Json.write(v), c.position());
      } catch (IllegalArgumentException e) {
        throw run.fail(c.argPosition(0), c.name() + ": " + e.getMessage());
      }
    });

    define("array.concat", 0, -1, (run, c) -> {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < c.args().size(); i++) {
        Value v = c.args().get(i);
        if (v instanceof ReferenceValue) {
          return new ReferenceValue(((ReferenceValue) v).path(), c.position());
        }
        out.addAll(run.arrayArg(c, i));
      }
      return new ArrayValue(out, c.position());
    }, "concat");
    define("file.path_join", 0, -1, (run, c) -> run.strings(c, FilePath::join));
  }

  /** First argument that is not null, "", 0, false, [] or {}; else the last argument; null without any. */
  private static Value coalesce(Run run, Call c) {
    List<Value> args = c.args();
    for (Value v : args) {
      if (v instanceof ReferenceValue) {
        // Whether it is empty is only known at run time.
        return new ReferenceValue(((ReferenceValue) v).path(), c.position());
      }
      if (!isZero(v)) {
        return withPosition(v, c.position());
      }
    }
    return args.isEmpty() ? new NullValue(c.position()) : withPosition(args.get(args.size() - 1), c.position());
  }

  private static Value format(Run run, Call c) {
    ReferenceValue ref = run.referenceIn(c);
    if (ref != null) {
      return ref;
    }
    String format = run.stringArg(c, 0);
    List<String> problems = new ArrayList<>();
    String out = GoFormat.sprintf(format, c.args().subList(1, c.args().size()), problems);
    for (String p : problems) {
      run.diags.warning(c.position(), c.name() + ": " + p);
    }
    return new StringValue(out, c.position());
  }

  // ---------------------------------------------------------------- helpers

  private static boolean isZero(Value v) {
    if (v instanceof NullValue) {
      return true;
    } else if (v instanceof StringValue) {
      return ((StringValue) v).value().isEmpty();
    } else if (v instanceof NumberValue) {
      return ((NumberValue) v).value() == 0;
    } else if (v instanceof FloatValue) {
      return ((FloatValue) v).value() == 0;
    } else if (v instanceof BoolValue) {
      return !((BoolValue) v).value();
    } else if (v instanceof ArrayValue) {
      return ((ArrayValue) v).elements().isEmpty();
    } else if (v instanceof ObjectValue) {
      return ((ObjectValue) v).size() == 0;
    }
    return false;
  }

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
