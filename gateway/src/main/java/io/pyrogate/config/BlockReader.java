package io.pyrogate.config;

import io.pyrogate.config.syntax.ArrayValue;
import io.pyrogate.config.syntax.Attribute;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.BoolValue;
import io.pyrogate.config.syntax.Conversions;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.ErrorValue;
import io.pyrogate.config.syntax.Evaluator;
import io.pyrogate.config.syntax.ExprPrinter;
import io.pyrogate.config.syntax.NullValue;
import io.pyrogate.config.syntax.ObjectValue;
import io.pyrogate.config.syntax.Position;
import io.pyrogate.config.syntax.ReferenceValue;
import io.pyrogate.config.syntax.Statement;
import io.pyrogate.config.syntax.StringValue;
import io.pyrogate.config.syntax.Value;
import io.pyrogate.golang.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the attributes and nested blocks of one block with types, reporting every problem to the
 * shared {@link Diagnostics} instead of stopping. {@link #finish()} reports what the schema did not
 * ask for, with a "did you mean" — so every decoder states its schema by what it reads.
 */
final class BlockReader {
  /**
   * What one decoding pass shares.
   *
   * @param validateOnly true for {@code pyrogate validate}: values that depend on components
   *     pyrogate does not run are warnings there (the file is checked, not run); for {@code run}
   *     they are errors
   * @param secrets every secret value read, so diagnostics can show their source lines without them
   */
  record Context(
      Evaluator evaluator, Diagnostics diags, boolean validateOnly, Set<String> secrets) {}

  /** Alloy's type name for a secret, which its messages show. */
  private static final String SECRET = "capsule";

  private final String what;
  private final Position position;
  private final Context context;
  private final Evaluator evaluator;
  private final Diagnostics diags;
  private final Map<String, Attribute> attributes = new LinkedHashMap<>();
  private final Map<String, List<Block>> blocks = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  /**
   * @param what how messages name this block, e.g. {@code pyroscope.write "staging"}
   */
  BlockReader(String what, Position position, List<Statement> body, Context context) {
    this.what = what;
    this.position = position;
    this.context = context;
    this.evaluator = context.evaluator();
    this.diags = context.diags();
    for (Statement s : body) {
      if (s instanceof Attribute a) {
        if (attributes.containsKey(a.name())) {
          diags.error(
              a.position(),
              "attribute \""
                  + a.name()
                  + "\" may only be set once in "
                  + what
                  + " (first set at "
                  + attributes.get(a.name()).position()
                  + ")");
        } else {
          attributes.put(a.name(), a);
        }
      } else if (s instanceof Block b) {
        blocks.computeIfAbsent(b.fullName(), k -> new ArrayList<>()).add(b);
      }
    }
  }

  static BlockReader of(String what, Block block, Context context) {
    return new BlockReader(what, block.position(), block.body().statements(), context);
  }

  Diagnostics diagnostics() {
    return diags;
  }

  Context context() {
    return context;
  }

  Position position() {
    return position;
  }

  Optional<Position> positionOf(String name) {
    known.add(name);
    return Optional.ofNullable(attributes.get(name)).map(Attribute::position);
  }

  /**
   * The evaluated value of an attribute; empty when absent, null, or already reported as an error.
   */
  Optional<Value> value(String name) {
    known.add(name);
    Attribute a = attributes.get(name);
    if (a == null) {
      return Optional.empty();
    }
    Value v = evaluator.evaluate(a.value(), diags);
    if (v instanceof ErrorValue || v instanceof NullValue) {
      return Optional.empty();
    }
    if (v instanceof ReferenceValue r) {
      String message =
          "attribute \""
              + name
              + "\" of "
              + what
              + " depends on "
              + r.path()
              + ", a component pyrogate does not run; set the value directly or with sys.env(\"...\")";
      if (context.validateOnly()) {
        diags.warning(v.position(), message + " before running it with pyrogate");
      } else {
        diags.error(v.position(), message);
      }
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /**
   * The attribute's value read by {@code read} when it is a {@code type}; a type error naming
   * Alloy's {@code expected} type when it is something else.
   */
  private <V extends Value, R> Optional<R> typed(
      String name, Class<V> type, String expected, Function<V, Optional<R>> read) {
    return value(name)
        .flatMap(
            v -> {
              if (type.isInstance(v)) {
                return read.apply(type.cast(v));
              }
              mismatch(v, expected, name);
              return Optional.empty();
            });
  }

  /** A string; a number converts to one, as in Alloy ({@link Conversions#toText}). */
  Optional<String> string(String name) {
    return value(name).flatMap(v -> text(name, v));
  }

  private Optional<String> text(String name, Value v) {
    Optional<String> text = Conversions.toText(v);
    if (text.isEmpty()) {
      mismatch(v, "string", name);
    }
    return text;
  }

  String requiredString(String name) {
    Optional<String> v = string(name);
    if (v.isEmpty() && !attributes.containsKey(name)) {
      diags.error(position, "missing required attribute \"" + name + "\" in " + what);
    }
    return v.orElse(null);
  }

  /** Whether the attribute is set (whatever its value). Marks it as known. */
  boolean has(String name) {
    known.add(name);
    return attributes.containsKey(name);
  }

  /** A secret: made from a string only, as Alloy's (a number is not converted to one). */
  Optional<Secret> secret(String name) {
    return typed(
        name,
        StringValue.class,
        SECRET,
        s -> {
          secretValue(s.value());
          return Optional.of(new Secret(s.value()));
        });
  }

  /**
   * A secret set inline ({@code inline}) or as a file ({@code file}); null when neither is set. The
   * caller reports when both are set; the inline one is kept then.
   */
  SecretSource secretSource(String inline, String file) {
    Optional<Secret> value = secret(inline);
    Optional<Path> path = path(file);
    return value.map(SecretSource::inline).or(() -> path.map(SecretSource::file)).orElse(null);
  }

  /**
   * A value read as a plain string that is a secret all the same (an endpoint_params value, say).
   */
  void secretValue(String value) {
    context.secrets().add(value);
  }

  Optional<Path> path(String name) {
    return string(name)
        .flatMap(
            s -> {
              if (s.isEmpty()) {
                diags.error(
                    positionOf(name).orElse(position),
                    "attribute \"" + name + "\" of " + what + " must not be empty");
                return Optional.empty();
              }
              return Optional.of(Path.of(s));
            });
  }

  /** A {@code map(list(secret))} such as {@code { "X-Key" = ["a", "b"] }}. */
  Optional<Map<String, List<Secret>>> secretListMap(String name) {
    return typed(
        name,
        ObjectValue.class,
        "object",
        o -> {
          Map<String, List<Secret>> out = new LinkedHashMap<>();
          o.fields()
              .forEach(
                  (k, e) -> {
                    if (e instanceof ArrayValue a) {
                      List<Secret> values = new ArrayList<>();
                      for (int i = 0; i < a.elements().size(); i++) {
                        Value item = a.elements().get(i);
                        if (item instanceof StringValue s) {
                          secretValue(s.value());
                          values.add(new Secret(s.value()));
                        } else {
                          mismatch(item, SECRET, name, k, i);
                        }
                      }
                      out.put(k, List.copyOf(values));
                    } else {
                      mismatch(e, "array", name, k);
                    }
                  });
          return Optional.of(out);
        });
  }

  String what() {
    return what;
  }

  /**
   * An integer; a float is truncated and a string holding a number converts, as in Alloy ({@link
   * Conversions#toInteger}).
   */
  Optional<Long> number(String name) {
    return value(name)
        .flatMap(
            v -> {
              OptionalLong n = Conversions.toInteger(v);
              if (n.isEmpty()) {
                mismatch(v, "number", name);
                return Optional.empty();
              }
              return Optional.of(n.getAsLong());
            });
  }

  Optional<Boolean> bool(String name) {
    return typed(name, BoolValue.class, "bool", b -> Optional.of(b.value()));
  }

  /**
   * A Go duration string such as {@code "10s"}; as in Alloy, the value is read as a string first,
   * so a number converts and then fails for its missing unit.
   */
  Optional<Duration> duration(String name) {
    return value(name)
        .flatMap(
            v ->
                text(name, v)
                    .flatMap(
                        s -> {
                          try {
                            return Optional.of(Durations.parse(s));
                          } catch (IllegalArgumentException e) {
                            diags.error(
                                v.position(),
                                "attribute \"" + name + "\" of " + what + ": " + e.getMessage());
                            return Optional.empty();
                          }
                        }));
  }

  /** A duration that must be positive; {@code fallback} when absent or reported as not positive. */
  Duration positiveDuration(String name, Duration fallback) {
    Duration d = duration(name).orElse(fallback);
    if (d.isNegative() || d.isZero()) {
      diags.error(positionOf(name).orElse(position), name + " must be positive, got " + d);
      return fallback;
    }
    return d;
  }

  Optional<List<String>> stringList(String name) {
    return typed(
        name,
        ArrayValue.class,
        "array",
        a -> {
          List<String> out = new ArrayList<>();
          for (int i = 0; i < a.elements().size(); i++) {
            Value e = a.elements().get(i);
            Optional<String> text = Conversions.toText(e);
            if (text.isPresent()) {
              out.add(text.get());
            } else {
              mismatch(e, "string", name, i);
            }
          }
          return Optional.of(out);
        });
  }

  Optional<Map<String, String>> stringMap(String name) {
    return typed(
        name,
        ObjectValue.class,
        "object",
        o -> {
          Map<String, String> out = new LinkedHashMap<>();
          o.fields()
              .forEach(
                  (k, e) ->
                      Conversions.toText(e)
                          .ifPresentOrElse(
                              text -> out.put(k, text), () -> mismatch(e, "string", name, k)));
          return Optional.of(out);
        });
  }

  /**
   * Reports in Alloy's words a value that does not convert to Alloy type {@code expected}: the
   * value of attribute {@code name}, or the element or field {@code path} leads to in it (an
   * Integer is an array index, a String an object key). An error value was reported already.
   */
  private void mismatch(Value got, String expected, String name, Object... path) {
    if (got instanceof ErrorValue) {
      return;
    }
    if (expected.equals(SECRET)) {
      // What is written where a secret was expected may be one: named by the attribute instead.
      diags.error(
          got.position(), Conversions.mismatch(name + ExprPrinter.suffix(path, 0), expected, got));
      return;
    }
    ExprPrinter.Named written = ExprPrinter.name(attributes.get(name).value(), path);
    diags.error(written.position(), Conversions.mismatch(written.text(), expected, got));
  }

  /** An array of references such as {@code [pyroscope.write.staging.receiver]}, unevaluated. */
  List<ReferenceValue> references(String name) {
    known.add(name);
    Attribute a = attributes.get(name);
    if (a == null) {
      return List.of();
    }
    Value v = evaluator.evaluate(a.value(), diags);
    if (v instanceof ErrorValue) {
      return List.of();
    }
    if (!(v instanceof ArrayValue arr)) {
      mismatch(v, "array", name);
      return List.of();
    }
    List<ReferenceValue> out = new ArrayList<>();
    for (int i = 0; i < arr.elements().size(); i++) {
      Value e = arr.elements().get(i);
      if (e instanceof ReferenceValue r) {
        out.add(r);
      } else if (!(e instanceof ErrorValue)) {
        ExprPrinter.Named written = ExprPrinter.name(a.value(), i);
        diags.error(
            written.position(),
            Conversions.mismatch(written.text(), "capsule", e)
                + ": "
                + name
                + " takes component exports such as pyroscope.write.default.receiver");
      }
    }
    return out;
  }

  List<Block> blocks(String name) {
    known.add(name);
    return blocks.getOrDefault(name, List.of());
  }

  /** A block that may appear at most once. */
  Optional<Block> block(String name) {
    List<Block> found = blocks(name);
    for (int i = 1; i < found.size(); i++) {
      diags.error(
          found.get(i).position(), "block \"" + name + "\" may only be specified once in " + what);
    }
    return found.stream().findFirst();
  }

  /** Reports every attribute and block the decoder did not read. Call last. */
  void finish() {
    attributes
        .values()
        .forEach(
            a -> {
              if (!known.contains(a.name())) {
                diags.error(
                    a.position(),
                    "unrecognized attribute \""
                        + a.name()
                        + "\" in "
                        + what
                        + Suggestions.didYouMean(a.name(), known));
              }
            });
    blocks.forEach(
        (name, list) -> {
          if (!known.contains(name)) {
            list.forEach(
                b ->
                    diags.error(
                        b.position(),
                        "unrecognized block \""
                            + name
                            + "\" in "
                            + what
                            + Suggestions.didYouMean(name, known)));
          }
        });
  }
}
