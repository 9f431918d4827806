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
