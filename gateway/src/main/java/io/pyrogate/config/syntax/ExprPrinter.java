package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints an expression on one line as Alloy's printer would write it, for messages that name an
 * expression as Alloy's do ({@code sys.env("PORT") should be number, got string}). Strings are
 * printed as Go quotes them and floats in their shortest form, so a literal written otherwise (a
 * raw string, {@code 1.50}) prints differently from the source.
 */
public final class ExprPrinter {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ExprPrinter() {}

  /** How Alloy's messages name a value: {@link #name}. */
  public record Named(String text, Position position) {}

  /**
   * How Alloy's vm names the value {@code path} leads to in what {@code root} evaluates to (an
   * Integer is an array index, a String an object key): the expression that wrote it; when the path
   * leads into an array or object that was not written literally, the nearest expression and the
   * rest of the path, e.g. {@code coalesce(x, y)[2]} or {@code sys.env("A").key}, at that
   * expression.
   */
  public static Named name(Expr root, Object... path) {
    Expr e = root;
    int i = 0;
    for (; i < path.length; i++) {
      Expr next = written(e, path[i]);
      if (next == null) {
        break;
      }
      e = next;
    }
    return new Named(print(e) + suffix(path, i), e.position());
  }

  /** Alloy's notation of {@code path} from step {@code from} on: {@code [2]}, {@code .key}. */
  public static String suffix(Object[] path, int from) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < path.length; i++) {
      s.append(path[i] instanceof Integer ? "[" + path[i] + "]" : "." + path[i]);
    }
    return s.toString();
  }

  /** The expression written for element or field {@code step} of {@code e}; null when none. */
  private static Expr written(Expr e, Object step) {
    if (e instanceof ArrayExpr a && step instanceof Integer i && i < a.elements().size()) {
      return a.elements().get(i);
    }
    if (e instanceof ObjectExpr o && step instanceof String key) {
      Expr last = null;
      for (ObjectExpr.Field f : o.fields()) {
        if (f.key().equals(key)) {
          last = f.value();
        }
      }
      return last;
    }
    return null;
  }

  public static String print(Expr e) {
    StringBuilder out = new StringBuilder();
    print(e, out);
    return out.toString();
  }

  private static void print(Expr e, StringBuilder out) {
    if (e instanceof StringLit s) {
      out.append(Strconv.quote(s.value()));
    } else if (e instanceof NumberLit n) {
      out.append(n.value());
    } else if (e instanceof FloatLit f) {
      out.append(GoFormat.formatFloatPlain(f.value()));
    } else if (e instanceof BoolLit b) {
      out.append(b.value());
    } else if (e instanceof NullLit) {
      out.append("null");
    } else if (e instanceof IdentExpr id) {
      out.append(id.name());
    } else if (e instanceof AccessExpr a) {
      print(a.target(), out);
      out.append('.').append(a.name());
    } else if (e instanceof IndexExpr i) {
      print(i.target(), out);
      out.append('[');
      print(i.index(), out);
      out.append(']');
    } else if (e instanceof CallExpr c) {
      print(c.function(), out);
      out.append('(');
      list(c.args(), out);
      out.append(')');
    } else if (e instanceof UnaryExpr u) {
      out.append(u.op());
      print(u.operand(), out);
    } else if (e instanceof BinaryExpr b) {
      print(b.left(), out);
      out.append(' ').append(b.op()).append(' ');
      print(b.right(), out);
    } else if (e instanceof ParenExpr p) {
      out.append('(');
      print(p.inner(), out);
      out.append(')');
    } else if (e instanceof ArrayExpr a) {
      out.append('[');
      list(a.elements(), out);
      out.append(']');
    } else if (e instanceof ObjectExpr o) {
      out.append('{');
      String separator = " ";
      for (ObjectExpr.Field f : o.fields()) {
        out.append(separator)
            .append(IDENTIFIER.matcher(f.key()).matches() ? f.key() : Strconv.quote(f.key()))
            .append(" = ");
        print(f.value(), out);
        separator = ", ";
      }
      out.append(o.fields().isEmpty() ? "}" : " }");
    } else {
      out.append("?"); // a BadExpr, already reported by the parser
    }
  }

  private static void list(List<Expr> elements, StringBuilder out) {
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      print(elements.get(i), out);
    }
  }
}
