package io.pyrogate.config;

import io.pyrogate.config.syntax.ArrayValue;
import io.pyrogate.config.syntax.Attribute;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.BoolValue;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.ErrorValue;
import io.pyrogate.config.syntax.Evaluator;
import io.pyrogate.config.syntax.NullValue;
import io.pyrogate.config.syntax.NumberValue;
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
   * {@code expected} when it is something else.
   */
  private <V extends Value, R> Optional<R> typed(
      String name, Class<V> type, String expected, Function<V, Optional<R>> read) {
    return value(name)
        .flatMap(
            v -> {
              if (type.isInstance(v)) {
                return read.apply(type.cast(v));
              }
              typeError(name, expected, v);
              return Optional.empty();
            });
  }

  Optional<String> string(String name) {
    return typed(name, StringValue.class, "string", s -> Optional.of(s.value()));
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

  Optional<Secret> secret(String name) {
    return string(name)
        .map(
            v -> {
              secretValue(v);
              return new Secret(v);
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
        "object of string lists such as { \"X-Header\" = [\"value\"] }",
        o -> {
          Map<String, List<Secret>> out = new LinkedHashMap<>();
          o.fields()
              .forEach(
                  (k, e) -> {
                    if (e instanceof ArrayValue a) {
                      List<Secret> values = new ArrayList<>();
                      for (Value item : a.elements()) {
                        if (item instanceof StringValue s) {
                          secretValue(s.value());
                          values.add(new Secret(s.value()));
                        } else if (!(item instanceof ErrorValue)) {
                          diags.error(
                              item.position(),
                              "values of \""
                                  + k
                                  + "\" in \""
                                  + name
                                  + "\" of "
                                  + what
                                  + " must be strings, got "
                                  + item.typeName());
                        }
                      }
                      out.put(k, List.copyOf(values));
                    } else {
                      fieldError(name, k, e, "a list of strings");
                    }
                  });
          return Optional.of(out);
        });
  }

  String what() {
    return what;
  }

  Optional<Long> number(String name) {
    return typed(name, NumberValue.class, "number", n -> Optional.of(n.value()));
  }

  Optional<Boolean> bool(String name) {
    return typed(name, BoolValue.class, "bool", b -> Optional.of(b.value()));
  }

  Optional<Duration> duration(String name) {
    return typed(
        name,
        StringValue.class,
        "duration string such as \"10s\"",
        s -> {
          try {
            return Optional.of(Durations.parse(s.value()));
          } catch (IllegalArgumentException e) {
            diags.error(
                s.position(), "attribute \"" + name + "\" of " + what + ": " + e.getMessage());
            return Optional.empty();
          }
        });
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
        "list of strings",
        a -> {
          List<String> out = new ArrayList<>();
          for (Value e : a.elements()) {
            if (e instanceof StringValue s) {
              out.add(s.value());
            } else {
              elementError(name, e, "a string");
            }
          }
          return Optional.of(out);
        });
  }

  Optional<Map<String, String>> stringMap(String name) {
    return typed(
        name,
        ObjectValue.class,
        "object of strings such as { \"key\" = \"value\" }",
        o -> {
          Map<String, String> out = new LinkedHashMap<>();
          o.fields()
              .forEach(
                  (k, e) -> {
                    if (e instanceof StringValue s) {
                      out.put(k, s.value());
                    } else {
                      fieldError(name, k, e, "a string");
                    }
                  });
          return Optional.of(out);
        });
  }

  /** Reports an element of list attribute {@code name} that is not {@code expected}. */
  private void elementError(String name, Value element, String expected) {
    if (!(element instanceof ErrorValue)) {
      diags.error(
          element.position(),
          "element of \""
              + name
              + "\" in "
              + what
              + " must be "
              + expected
              + ", got "
              + element.typeName());
    }
  }

  /**
   * Reports the value of {@code key} in object attribute {@code name} that is not {@code expected}.
   */
  private void fieldError(String name, String key, Value value, String expected) {
    if (!(value instanceof ErrorValue)) {
      diags.error(
          value.position(),
          "value of \""
              + key
              + "\" in \""
              + name
              + "\" of "
              + what
              + " must be "
              + expected
              + ", got "
              + value.typeName());
    }
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
      typeError(name, "list of component exports such as [pyroscope.write.default.receiver]", v);
      return List.of();
    }
    List<ReferenceValue> out = new ArrayList<>();
    for (Value e : arr.elements()) {
      if (e instanceof ReferenceValue r) {
        out.add(r);
      } else {
        elementError(name, e, "a component export such as pyroscope.write.default.receiver");
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

  private void typeError(String name, String expected, Value got) {
    diags.error(
        got.position(),
        "attribute \""
            + name
            + "\" of "
            + what
            + " must be a "
            + expected
            + ", got "
            + got.typeName());
  }
}
