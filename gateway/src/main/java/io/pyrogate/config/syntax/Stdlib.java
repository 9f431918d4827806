package io.pyrogate.config.syntax;

import io.pyrogate.golang.Base64;
import io.pyrogate.golang.FilePath;
import io.pyrogate.golang.Strings;
import io.pyrogate.golang.Url;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Alloy standard library functions real configs use (as Alloy's {@code
 * syntax/internal/stdlib}): {@code sys.env}, {@code coalesce}, {@code convert.nonsensitive}, the
 * {@code string.*}, {@code encoding.*} and {@code array.concat} functions and {@code
 * file.path_join}, with their deprecated unqualified names (e.g. {@code env}, {@code json_decode}),
 * which work and produce a warning. Functions pyrogate does not have are named with what they do.
 *
 * <p>A reference among the arguments makes the result a reference (whether, say, {@code coalesce}
 * skips it is only known at run time).
 */
final class Stdlib {
  private static final Map<String, Builtin> BUILTINS = new LinkedHashMap<>();
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "encoding.from_yaml", "YAML decoding",
          "yaml_decode", "YAML decoding",
          "json_path", "JSONPath queries",
          "array.combine_maps", "combining arrays of maps",
          "array.group_by", "grouping arrays");
  private static final List<String> NAMESPACES =
      List.of("sys", "string", "encoding", "array", "convert", "file");

  private Stdlib() {}

  /** Whether {@code name} is a namespace of functions such as {@code string}. */
  static boolean isNamespace(String name) {
    return NAMESPACES.contains(name);
  }

  /** Whether {@code name} is a standard library function, supported or not. */
  static boolean isFunction(String name) {
    return BUILTINS.containsKey(name) || UNSUPPORTED.containsKey(name);
  }

  /**
   * The function {@code name} called by {@code call}, after checking it exists and takes that many
   * arguments; a deprecated name produces a warning.
   *
   * @throws EvaluationFailed after reporting an unknown or unsupported function or a wrong number
   *     of arguments
   */
  static Builtin resolve(String name, CallExpr call, Diagnostics diags) {
    Builtin fn = BUILTINS.get(name);
    if (fn == null) {
      if (UNSUPPORTED.containsKey(name)) {
        throw EvaluationFailed.report(
            diags,
            call.position(),
            "function " + name + " (" + UNSUPPORTED.get(name) + ") is not supported by pyrogate");
      }
      throw EvaluationFailed.report(diags, call.position(), "unknown function " + name);
    }
    if (fn.replacement() != null) {
      diags.warning(call.position(), name + " is deprecated; use " + fn.replacement() + " instead");
    }
    int n = call.args().size();
    if (n < fn.minArgs() || (fn.maxArgs() >= 0 && n > fn.maxArgs())) {
      String expected;
      if (fn.maxArgs() == fn.minArgs()) {
        expected = fn.minArgs() + " argument" + (fn.minArgs() == 1 ? "" : "s");
      } else if (fn.maxArgs() < 0) {
        expected = "at least " + fn.minArgs() + " argument" + (fn.minArgs() == 1 ? "" : "s");
      } else {
        expected = fn.minArgs() + " to " + fn.maxArgs() + " arguments";
      }
      throw EvaluationFailed.report(
          diags, call.position(), name + " expects " + expected + ", got " + n);
    }
    return fn;
  }

  /** A standard library function. {@code maxArgs < 0}: any number. */
  record Builtin(String name, int minArgs, int maxArgs, String replacement, Impl impl) {
    /** Applies the function to evaluated arguments (none of them an error). */
    Value call(
        CallExpr expr, List<Value> args, Diagnostics diags, Function<String, String> environment) {
      return impl.call(new Call(name, expr, args, diags, environment));
    }
  }

  @FunctionalInterface
  interface Impl {
    Value call(Call call);
  }

  /** The arguments and context of one call. */
  record Call(
      String name,
      CallExpr expr,
      List<Value> args,
      Diagnostics diags,
      Function<String, String> environment) {
    Position position() {
      return expr.position();
    }

    Position argPosition(int i) {
      return i < expr.args().size() ? expr.args().get(i).position() : expr.position();
    }

    EvaluationFailed fail(Position at, String message) {
      return EvaluationFailed.report(diags, at, message);
    }

    /**
     * A reference anywhere in the arguments makes the call's result a reference (most functions).
     */
    ReferenceValue referenceIn() {
      for (Value v : args) {
        ReferenceValue r = Evaluator.firstReference(v);
        if (r != null) {
          return new ReferenceValue(r.path(), position());
        }
      }
      return null;
    }

    /** A string argument; a number converts to one, as Alloy decodes arguments. */
    String stringArg(int i) {
      Value v = args.get(i);
      Optional<String> text = Conversions.toText(v);
      if (text.isPresent()) {
        return text.get();
      }
      throw mismatch(v, "string", i);
    }

    List<Value> arrayArg(int i) {
      Value v = args.get(i);
      if (v instanceof ArrayValue) {
        return ((ArrayValue) v).elements();
      }
      throw mismatch(v, "array", i);
    }

    /**
     * Reports in Alloy's words ({@code true should be string, got bool}) an argument, or what
     * {@code path} leads to in it, that is not of Alloy type {@code expected}.
     */
    EvaluationFailed mismatch(Value got, String expected, int arg, Object... path) {
      ExprPrinter.Named named = ExprPrinter.name(expr.args().get(arg), path);
      return fail(named.position(), Conversions.mismatch(named.text(), expected, got));
    }

    /** Applies a string function of string arguments, with reference propagation. */
    Value strings(Function<String[], String> f) {
      ReferenceValue ref = referenceIn();
      if (ref != null) {
        return ref;
      }
      String[] s = new String[args.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = stringArg(i);
      }
      return new StringValue(f.apply(s), position());
    }

    Value decoded(boolean url) {
      return parsed("", s -> new StringValue(Base64.decode(s, url), position()));
    }

    /**
     * The one string argument read by {@code read}; a reference stays one, and what {@code read}
     * refuses (an IllegalArgumentException) is reported on the argument as {@code name: } {@code
     * failurePrefix} and the refusal's message.
     */
    Value parsed(String failurePrefix, Function<String, Value> read) {
      ReferenceValue ref = referenceIn();
      if (ref != null) {
        return ref;
      }
      try {
        return read.apply(stringArg(0));
      } catch (IllegalArgumentException e) {
        throw fail(argPosition(0), name + ": " + failurePrefix + e.getMessage());
      }
    }
  }

  private static void define(
      String name, int min, int max, Impl impl, String... deprecatedAliases) {
    BUILTINS.put(name, new Builtin(name, min, max, null, impl));
    for (String alias : deprecatedAliases) {
      BUILTINS.put(alias, new Builtin(alias, min, max, name, impl));
    }
  }

  static {
    define(
        "sys.env",
        1,
        1,
        c ->
            c.strings(
                s -> {
                  String v = c.environment().apply(s[0]);
                  return v == null ? "" : v;
                }),
        "env");
    define("coalesce", 0, -1, Stdlib::coalesce);
    define(
        "convert.nonsensitive",
        1,
        1,
        c -> {
          // Alloy's takes a secret, which is made from a string only: a number does not convert.
          ReferenceValue ref = c.referenceIn();
          if (ref != null) {
            return ref;
          } else if (c.args().get(0) instanceof StringValue s) {
            return new StringValue(s.value(), c.position());
          }
          throw c.mismatch(c.args().get(0), "capsule", 0);
        },
        "nonsensitive");

    define("string.format", 1, -1, Stdlib::format, "format");
    define(
        "string.join",
        2,
        2,
        c -> {
          ReferenceValue ref = c.referenceIn();
          if (ref != null) {
            return ref;
          }
          List<Value> elements = c.arrayArg(0);
          String sep = c.stringArg(1);
          List<String> parts = new ArrayList<>();
          for (int i = 0; i < elements.size(); i++) {
            Value e = elements.get(i);
            Optional<String> text = Conversions.toText(e);
            if (text.isPresent()) {
              parts.add(text.get());
            } else {
              throw c.mismatch(e, "string", 0, i);
            }
          }
          return new StringValue(String.join(sep, parts), c.position());
        },
        "join");
    define(
        "string.replace",
        3,
        3,
        c -> c.strings(s -> Strings.replaceAll(s[0], s[1], s[2])),
        "replace");
    define(
        "string.split",
        2,
        2,
        c -> {
          ReferenceValue ref = c.referenceIn();
          if (ref != null) {
            return ref;
          }
          List<Value> parts = new ArrayList<>();
          for (String part : Strings.split(c.stringArg(0), c.stringArg(1))) {
            parts.add(new StringValue(part, c.position()));
          }
          return new ArrayValue(parts, c.position());
        },
        "split");
    define("string.to_lower", 1, 1, c -> c.strings(s -> Strings.toLower(s[0])), "to_lower");
    define("string.to_upper", 1, 1, c -> c.strings(s -> Strings.toUpper(s[0])), "to_upper");
    define("string.trim", 2, 2, c -> c.strings(s -> Strings.trim(s[0], s[1])), "trim");
    define(
        "string.trim_prefix",
        2,
        2,
        c -> c.strings(s -> s[0].startsWith(s[1]) ? s[0].substring(s[1].length()) : s[0]),
        "trim_prefix");
    define(
        "string.trim_suffix",
        2,
        2,
        c ->
            c.strings(
                s -> s[0].endsWith(s[1]) ? s[0].substring(0, s[0].length() - s[1].length()) : s[0]),
        "trim_suffix");
    define("string.trim_space", 1, 1, c -> c.strings(s -> Strings.trimSpace(s[0])), "trim_space");

    define("encoding.from_base64", 1, 1, c -> c.decoded(false), "base64_decode");
    define("encoding.from_URLbase64", 1, 1, c -> c.decoded(true));
    define("encoding.to_base64", 1, 1, c -> c.strings(s -> Base64.encode(s[0], false)));
    define("encoding.to_URLbase64", 1, 1, c -> c.strings(s -> Base64.encode(s[0], true)));
    define("encoding.url_encode", 1, 1, c -> c.strings(s -> Url.queryEscape(s[0])));
    define(
        "encoding.url_decode",
        1,
        1,
        c -> c.parsed("", s -> new StringValue(Url.queryUnescape(s), c.position())));
    define(
        "encoding.from_json",
        1,
        1,
        c -> c.parsed("invalid JSON: ", s -> Json.parse(s, c.position())),
        "json_decode");
    define(
        "encoding.to_json",
        1,
        1,
        c -> {
          ReferenceValue ref = c.referenceIn();
          if (ref != null) {
            return ref;
          }
          Value v = c.args().get(0);
          if (!(v instanceof ObjectValue)) {
            throw c.fail(
                c.argPosition(0),
                c.name() + " only supports objects, got " + Evaluator.describe(v));
          }
          try {
            return new StringValue(Json.write(v), c.position());
          } catch (IllegalArgumentException e) {
            throw c.fail(c.argPosition(0), c.name() + ": " + e.getMessage());
          }
        });

    define(
        "array.concat",
        0,
        -1,
        c -> {
          List<Value> out = new ArrayList<>();
          for (int i = 0; i < c.args().size(); i++) {
            Value v = c.args().get(i);
            if (v instanceof ReferenceValue) {
              return new ReferenceValue(((ReferenceValue) v).path(), c.position());
            }
            out.addAll(c.arrayArg(i));
          }
          return new ArrayValue(out, c.position());
        },
        "concat");
    define("file.path_join", 0, -1, c -> c.strings(FilePath::join));
  }

  /**
   * First argument that is not null, "", 0, false, [] or {}; else the last argument; null without
   * any.
   */
  private static Value coalesce(Call c) {
    List<Value> args = c.args();
    for (Value v : args) {
      if (v instanceof ReferenceValue) {
        // Whether it is empty is only known at run time.
        return new ReferenceValue(((ReferenceValue) v).path(), c.position());
      }
      if (!isZero(v)) {
        return Evaluator.withPosition(v, c.position());
      }
    }
    return args.isEmpty()
        ? new NullValue(c.position())
        : Evaluator.withPosition(args.get(args.size() - 1), c.position());
  }

  private static Value format(Call c) {
    ReferenceValue ref = c.referenceIn();
    if (ref != null) {
      return ref;
    }
    String format = c.stringArg(0);
    List<String> problems = new ArrayList<>();
    String out = GoFormat.sprintf(format, c.args().subList(1, c.args().size()), problems);
    for (String p : problems) {
      c.diags().warning(c.position(), c.name() + ": " + p);
    }
    return new StringValue(out, c.position());
  }

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
}
