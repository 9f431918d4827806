package io.pyrogate.config;

import io.pyrogate.config.syntax.AccessExpr;
import io.pyrogate.config.syntax.ArrayExpr;
import io.pyrogate.config.syntax.Attribute;
import io.pyrogate.config.syntax.BadExpr;
import io.pyrogate.config.syntax.BinaryExpr;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Body;
import io.pyrogate.config.syntax.CallExpr;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.Expr;
import io.pyrogate.config.syntax.IdentExpr;
import io.pyrogate.config.syntax.IndexExpr;
import io.pyrogate.config.syntax.NullLit;
import io.pyrogate.config.syntax.ObjectExpr;
import io.pyrogate.config.syntax.ParenExpr;
import io.pyrogate.config.syntax.Position;
import io.pyrogate.config.syntax.Statement;
import io.pyrogate.config.syntax.UnaryExpr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Expands Alloy custom components into the flat component model pyrogate runs: removes each
 * top-level {@code declare "NAME" { ... }} and replaces each instance {@code NAME "LABEL" { ... }}
 * by copies of the declared body's components.
 *
 * <p>In instance {@code LABEL} of {@code NAME}, a component {@code pyroscope.relabel "default"} is
 * relabelled {@code NAME_LABEL_default}: an identifier, so also a valid Kafka topic and consumer
 * group name. References inside the body to the body's own components follow the new labels; {@code
 * argument.ARG.value} becomes the instance's expression for {@code ARG}, its {@code default}, or
 * null for an optional argument without one; and {@code NAME.LABEL.EXPORT} anywhere at the top
 * level (or in the body the instance is in) becomes the expression of the body's {@code export
 * "EXPORT"}. Expressions keep their positions, so an error inside a declared body is reported at
 * its place in the body, and an error in an argument's value at its place in the instance.
 *
 * <p>Declares nest as in Alloy: a body may declare components of its own and instantiate those and
 * the ones declared around it; a nested instance is expanded first, then renamed with the outer
 * instance (component {@code c} of instance {@code i} of {@code inner}, in instance {@code o} of
 * {@code outer}, runs as {@code outer_o_inner_i_c}). A declare that instantiates itself is an
 * error.
 */
final class CustomComponents {
  private static final String DECLARE = "declare";
  private static final String ARGUMENT = "argument";
  private static final String EXPORT = "export";

  /** A {@code declare} block and the scope it is declared in, whose declarations it may use. */
  private record Declaration(String name, Block block, Scope scope) {}

  /** The body of one declaration as one instance sees it, its nested instances expanded. */
  private record Definition(
      Map<String, Argument> arguments, Map<String, Expr> exports, List<Block> components) {}

  /**
   * The declarations visible in one body: its own, then those of the bodies around it. Compared by
   * identity (a declaration refers to its scope).
   */
  private static final class Scope {
    private final Map<String, Declaration> declarations = new LinkedHashMap<>();

    /** Null at the top level. */
    private final Scope parent;

    Scope(Scope parent) {
      this.parent = parent;
    }

    Map<String, Declaration> declarations() {
      return declarations;
    }

    Declaration find(String name) {
      Declaration d = declarations.get(name);
      return d != null || parent == null ? d : parent.find(name);
    }

    boolean any() {
      return !declarations.isEmpty() || (parent != null && parent.any());
    }
  }

  /**
   * One {@code argument} block.
   *
   * @param fallback the {@code default} expression; null when there is none
   */
  private record Argument(boolean optional, Expr fallback) {}

  private final BlockReader.Context ctx;
  private final Diagnostics diags;
  private final Set<Declaration> instantiated = new HashSet<>();

  /** The declarations being instantiated, innermost last, to refuse one that contains itself. */
  private final Deque<Declaration> expanding = new ArrayDeque<>();

  private CustomComponents(BlockReader.Context ctx) {
    this.ctx = ctx;
    this.diags = ctx.diags();
  }

  /** The file's body with its custom components expanded; problems go to the context's diags. */
  static Body expand(Body body, BlockReader.Context ctx) {
    return new Body(new CustomComponents(ctx).expand(body.statements(), null));
  }

  /**
   * The statements of one body with its declares removed, its instances replaced by their
   * components, and the references to their exports resolved.
   */
  private List<Statement> expand(List<Statement> statements, Scope parent) {
    Scope scope = new Scope(parent);
    for (Statement s : statements) {
      if (s instanceof Block b && b.fullName().equals(DECLARE)) {
        declare(b, scope);
      }
    }
    if (!scope.any()) {
      return statements;
    }
    // Export expressions by NAME.LABEL, then export name.
    Map<String, Map<String, Expr>> exports = new LinkedHashMap<>();
    List<Statement> expanded = new ArrayList<>();
    for (Statement s : statements) {
      if (s instanceof Block b && b.fullName().equals(DECLARE)) {
        continue;
      }
      Declaration d = s instanceof Block b ? scope.find(b.fullName()) : null;
      if (d != null) {
        expanded.addAll(instantiate((Block) s, d, exports));
      } else {
        expanded.add(s);
      }
    }
    // Statements, and the arguments given to instances, may read the exports of any instance of
    // this body, wherever it is written.
    Function<Expr, Expr> reader = e -> rewrite(e, chain -> exportReference(chain, scope, exports));
    expanded.replaceAll(s -> rewrite(s, reader));
    scope
        .declarations()
        .forEach(
            (name, d) -> {
              if (!instantiated.contains(d)) {
                diags.warning(
                    d.block().position(),
                    "declare \""
                        + name
                        + "\" is never instantiated (e.g. "
                        + name
                        + " \"default\" { ... }): its components do not run");
              }
            });
    return expanded;
  }

  // ---------------------------------------------------------------- declarations

  private void declare(Block b, Scope scope) {
    String name = b.label();
    if (name == null || !ConfigLoader.isIdentifier(name)) {
      diags.error(
          b.label() == null ? b.position() : b.labelPosition(),
          "declare needs a label that is a valid identifier, e.g. declare \"my_receiver\" { ... }");
      return;
    }
    if (ConfigLoader.COMPONENTS.contains(name) || name.equals("kafka") || name.equals("logging")) {
      diags.error(b.labelPosition(), "declare \"" + name + "\" would shadow a built-in block");
      return;
    }
    Declaration first = scope.declarations().get(name);
    if (first != null) {
      diags.error(
          b.position(),
          "declare \"" + name + "\" is already defined at " + first.block().position());
      return;
    }
    scope.declarations().put(name, new Declaration(name, b, scope));
  }

  /** The body of {@code d} with the instances in it expanded, split into its parts. */
  private Definition define(Declaration d) {
    Map<String, Argument> arguments = new LinkedHashMap<>();
    Map<String, Expr> exportExprs = new LinkedHashMap<>();
    List<Block> components = new ArrayList<>();
    for (Statement s : expand(d.block().body().statements(), d.scope())) {
      if (s instanceof Attribute a) {
        diags.error(
            a.position(),
            "unexpected attribute \""
                + a.name()
                + "\" in declare \""
                + d.name()
                + "\"; only blocks belong here");
        continue;
      }
      Block inner = (Block) s;
      String kind = inner.fullName();
      if (kind.equals(ARGUMENT)) {
        argument(inner, d.name(), arguments);
      } else if (kind.equals(EXPORT)) {
        export(inner, d.name(), exportExprs);
      } else {
        components.add(inner);
      }
    }
    return new Definition(arguments, exportExprs, components);
  }

  private void argument(Block b, String declare, Map<String, Argument> arguments) {
    if (!labelled(b, ARGUMENT, declare)
        || duplicate(b, ARGUMENT, arguments.containsKey(b.label()))) {
      return;
    }
    BlockReader r = BlockReader.of("argument \"" + b.label() + "\"", b, ctx);
    boolean optional = r.bool("optional").orElse(false);
    r.string("comment");
    Expr fallback = null;
    if (r.has("default")) {
      for (Statement s : b.body().statements()) {
        if (s instanceof Attribute a && a.name().equals("default")) {
          fallback = a.value();
        }
      }
    }
    r.finish();
    arguments.put(b.label(), new Argument(optional, fallback));
  }

  private void export(Block b, String declare, Map<String, Expr> exportExprs) {
    if (!labelled(b, EXPORT, declare) || duplicate(b, EXPORT, exportExprs.containsKey(b.label()))) {
      return;
    }
    Expr value = null;
    for (Statement s : b.body().statements()) {
      if (s instanceof Attribute a && a.name().equals("value") && value == null) {
        value = a.value();
      } else {
        diags.error(
            s.position(),
            "export \"" + b.label() + "\" takes only a \"value\" attribute, set once");
      }
    }
    if (value == null) {
      diags.error(
          b.position(), "missing required attribute \"value\" in export \"" + b.label() + "\"");
      value = new BadExpr(b.position());
    }
    exportExprs.put(b.label(), value);
  }

  private boolean labelled(Block b, String kind, String declare) {
    if (b.label() != null && ConfigLoader.isIdentifier(b.label())) {
      return true;
    }
    diags.error(
        b.label() == null ? b.position() : b.labelPosition(),
        kind
            + " in declare \""
            + declare
            + "\" needs a label that is a valid identifier, e.g. "
            + kind
            + " \"name\" { ... }");
    return false;
  }

  private boolean duplicate(Block b, String kind, boolean seen) {
    if (seen) {
      diags.error(b.position(), kind + " \"" + b.label() + "\" is already defined in this declare");
    }
    return seen;
  }

  // ---------------------------------------------------------------- instances

  /** The components of one instance, relabelled, with its arguments and references resolved. */
  private List<Statement> instantiate(
      Block instance, Declaration declaration, Map<String, Map<String, Expr>> exports) {
    instantiated.add(declaration);
    String what = declaration.name() + " \"" + instance.label() + "\"";
    if (instance.label() == null || !ConfigLoader.isIdentifier(instance.label())) {
      diags.error(
          instance.label() == null ? instance.position() : instance.labelPosition(),
          "custom component \""
              + declaration.name()
              + "\" needs a label that is a valid identifier, e.g. "
              + declaration.name()
              + " \"default\" { ... }");
      return List.of();
    }
    String key = declaration.name() + "." + instance.label();
    if (exports.containsKey(key)) {
      diags.error(instance.position(), "custom component " + what + " is already defined");
      return List.of();
    }
    if (expanding.contains(declaration)) {
      diags.error(
          instance.position(),
          "custom component "
              + what
              + " is an instance of declare \""
              + declaration.name()
              + "\" inside its own body: it would never end");
      return List.of();
    }
    expanding.addLast(declaration);
    Definition d;
    try {
      d = define(declaration);
    } finally {
      expanding.removeLast();
    }
    Map<String, Expr> given = new LinkedHashMap<>();
    for (Statement s : instance.body().statements()) {
      if (s instanceof Block b) {
        diags.error(
            b.position(), "custom component " + what + " takes only attributes (its arguments)");
      } else if (s instanceof Attribute a) {
        if (!d.arguments().containsKey(a.name())) {
          diags.error(
              a.position(),
              "unsupported argument \""
                  + a.name()
                  + "\" in "
                  + what
                  + "; declare \""
                  + declaration.name()
                  + "\" has "
                  + (d.arguments().isEmpty()
                      ? "no arguments"
                      : "arguments " + String.join(", ", d.arguments().keySet()))
                  + Suggestions.didYouMean(a.name(), d.arguments().keySet()));
        } else if (given.putIfAbsent(a.name(), a.value()) != null) {
          diags.error(
              a.position(), "argument \"" + a.name() + "\" may only be set once in " + what);
        }
      }
    }
    Map<String, Expr> values = new LinkedHashMap<>();
    d.arguments()
        .forEach(
            (name, arg) -> {
              Expr value = given.get(name);
              if (value == null && !arg.optional()) {
                // Alloy's message, at the instance that misses it.
                diags.error(
                    instance.position(), "missing required argument \"" + name + "\" to " + what);
                value = new BadExpr(instance.position());
              } else if (value == null) {
                value = arg.fallback() == null ? new NullLit(instance.position()) : arg.fallback();
              }
              values.put(name, value);
            });
    Map<String, String> labels = new LinkedHashMap<>();
    for (Block c : d.components()) {
      if (c.label() != null) {
        labels.put(
            c.fullName() + "." + c.label(), label(declaration.name(), instance.label(), c.label()));
      }
    }
    Function<Expr, Expr> inside =
        e -> rewrite(e, chain -> bodyReference(chain, labels, values, what));
    List<Statement> out = new ArrayList<>();
    for (Block c : d.components()) {
      Block rewritten = (Block) rewrite(c, inside);
      String id = c.fullName() + "." + c.label();
      out.add(
          new Block(
              c.name(),
              labels.getOrDefault(id, c.label()),
              c.labelPosition(),
              rewritten.body(),
              c.position()));
    }
    Map<String, Expr> exported = new LinkedHashMap<>();
    d.exports().forEach((name, e) -> exported.put(name, inside.apply(e)));
    exports.put(key, exported);
    return out;
  }

  /** The label of component {@code label} in instance {@code instance} of {@code declare}. */
  static String label(String declare, String instance, String label) {
    return declare + "_" + instance + "_" + label;
  }

  // ---------------------------------------------------------------- references

  /**
   * What a reference inside a declared body stands for; null to keep it as written (a top-level
   * component, or one pyrogate does not run).
   */
  private Expr bodyReference(
      List<IdentExpr> chain, Map<String, String> labels, Map<String, Expr> values, String what) {
    String root = chain.get(0).name();
    if (root.equals(ARGUMENT)) {
      String name = chain.get(1).name();
      Expr value = values.get(name);
      Position at = chain.get(0).position();
      if (value == null) {
        diags.error(
            at,
            "argument \""
                + name
                + "\" is not declared in the declare of "
                + what
                + Suggestions.didYouMean(name, values.keySet()));
        return new BadExpr(at);
      }
      if (chain.size() < 3 || !chain.get(2).name().equals("value")) {
        diags.error(at, "argument." + name + " is read as argument." + name + ".value");
        return new BadExpr(at);
      }
      return access(value, chain.subList(3, chain.size()));
    }
    StringBuilder id = new StringBuilder(root);
    for (int i = 1; i < chain.size(); i++) {
      String label = labels.get(id.toString() + "." + chain.get(i).name());
      if (label != null) {
        List<IdentExpr> renamed = new ArrayList<>(chain.subList(0, i));
        renamed.add(new IdentExpr(label, chain.get(i).position()));
        renamed.addAll(chain.subList(i + 1, chain.size()));
        return access(renamed.get(0), renamed.subList(1, renamed.size()));
      }
      id.append('.').append(chain.get(i).name());
    }
    return null;
  }

  /** What {@code NAME.LABEL.EXPORT...} in a body stands for; null to keep it as written. */
  private Expr exportReference(
      List<IdentExpr> chain, Scope scope, Map<String, Map<String, Expr>> exports) {
    if (scope.find(chain.get(0).name()) == null) {
      return null;
    }
    String what = chain.get(0).name() + " \"" + chain.get(1).name() + "\"";
    Map<String, Expr> exported = exports.get(chain.get(0).name() + "." + chain.get(1).name());
    Position at = chain.get(0).position();
    if (exported == null) {
      diags.error(at, "custom component " + what + " is not defined");
      return new BadExpr(at);
    }
    Expr value = chain.size() < 3 ? null : exported.get(chain.get(2).name());
    if (value == null) {
      diags.error(
          at,
          "custom component "
              + what
              + " has no export"
              + (chain.size() < 3 ? " named here" : " \"" + chain.get(2).name() + "\"")
              + (exported.isEmpty() ? "" : "; it exports " + String.join(", ", exported.keySet())));
      return new BadExpr(at);
    }
    return access(value, chain.subList(3, chain.size()));
  }

  private static Expr access(Expr target, List<IdentExpr> fields) {
    Expr e = target;
    for (IdentExpr f : fields) {
      e = new AccessExpr(e, f.name(), f.position());
    }
    return e;
  }

  // ---------------------------------------------------------------- rewriting

  /** The statement with every expression in it (and in its nested blocks) rewritten. */
  private static Statement rewrite(Statement s, Function<Expr, Expr> exprs) {
    if (s instanceof Attribute a) {
      return new Attribute(a.name(), exprs.apply(a.value()), a.position());
    }
    Block b = (Block) s;
    List<Statement> body = new ArrayList<>();
    b.body().statements().forEach(inner -> body.add(rewrite(inner, exprs)));
    return new Block(b.name(), b.label(), b.labelPosition(), new Body(body), b.position());
  }

  /**
   * The expression with each identifier chain ({@code a.b.c}) replaced by what {@code resolve}
   * returns for it, or kept when it returns null.
   */
  private static Expr rewrite(Expr e, Function<List<IdentExpr>, Expr> resolve) {
    List<IdentExpr> chain = chain(e);
    if (chain != null) {
      Expr resolved = resolve.apply(chain);
      return resolved == null ? e : resolved;
    }
    if (e instanceof ArrayExpr a) {
      return new ArrayExpr(
          a.elements().stream().map(x -> rewrite(x, resolve)).toList(), a.position());
    } else if (e instanceof ObjectExpr o) {
      return new ObjectExpr(
          o.fields().stream()
              .map(f -> new ObjectExpr.Field(f.key(), f.keyPosition(), rewrite(f.value(), resolve)))
              .toList(),
          o.position());
    } else if (e instanceof AccessExpr a) {
      return new AccessExpr(rewrite(a.target(), resolve), a.name(), a.position());
    } else if (e instanceof IndexExpr ix) {
      return new IndexExpr(
          rewrite(ix.target(), resolve), rewrite(ix.index(), resolve), ix.position());
    } else if (e instanceof CallExpr c) {
      // The function's name is a stdlib name, never a reference.
      return new CallExpr(
          c.function(), c.args().stream().map(x -> rewrite(x, resolve)).toList(), c.position());
    } else if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.op(), rewrite(u.operand(), resolve), u.position());
    } else if (e instanceof BinaryExpr b) {
      return new BinaryExpr(
          b.op(), rewrite(b.left(), resolve), rewrite(b.right(), resolve), b.position());
    } else if (e instanceof ParenExpr p) {
      return new ParenExpr(rewrite(p.inner(), resolve), p.position());
    }
    return e;
  }

  /** The identifiers of a chain {@code a.b.c} of two or more; null for anything else. */
  private static List<IdentExpr> chain(Expr e) {
    List<IdentExpr> out = new ArrayList<>();
    Expr at = e;
    while (at instanceof AccessExpr a) {
      out.add(0, new IdentExpr(a.name(), a.position()));
      at = a.target();
    }
    if (!(at instanceof IdentExpr root) || out.isEmpty()) {
      return null;
    }
    out.add(0, root);
    return out;
  }
}
