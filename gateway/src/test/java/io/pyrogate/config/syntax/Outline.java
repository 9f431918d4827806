package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compact, readable rendering of a parsed file with every attribute evaluated, for tests that
 * check the whole shape of a config at once:
 *
 * <pre>
 * pyroscope.write "staging"
 *   endpoint
 *     url = "http://pyroscope:4040"
 *   forward_to = [ref(pyroscope.write.staging.receiver)]
 * </pre>
 */
final class Outline {

  private Outline() {}

  static String of(Body body, Evaluator evaluator, Diagnostics diags) {
    StringBuilder sb = new StringBuilder();
    render(body, evaluator, diags, "", sb);
    return sb.toString();
  }

  private static void render(
      Body body, Evaluator evaluator, Diagnostics diags, String indent, StringBuilder sb) {
    for (Statement s : body.statements()) {
      if (s instanceof Attribute) {
        Attribute a = (Attribute) s;
        sb.append(indent)
            .append(a.name())
            .append(" = ")
            .append(value(evaluator.evaluate(a.value(), diags)))
            .append('\n');
      } else {
        Block b = (Block) s;
        sb.append(indent).append(b.fullName());
        if (b.label() != null) {
          sb.append(' ').append(Strconv.quote(b.label()));
        }
        sb.append('\n');
        render(b.body(), evaluator, diags, indent + "  ", sb);
      }
    }
  }

  static String value(Value v) {
    if (v instanceof StringValue) {
      return Strconv.quote(((StringValue) v).value());
    } else if (v instanceof NumberValue) {
      return Long.toString(((NumberValue) v).value());
    } else if (v instanceof FloatValue) {
      return GoFormat.formatFloatPlain(((FloatValue) v).value());
    } else if (v instanceof BoolValue) {
      return Boolean.toString(((BoolValue) v).value());
    } else if (v instanceof NullValue) {
      return "null";
    } else if (v instanceof ReferenceValue) {
      return "ref(" + ((ReferenceValue) v).path() + ")";
    } else if (v instanceof ArrayValue) {
      List<String> parts = new ArrayList<>();
      for (Value e : ((ArrayValue) v).elements()) {
        parts.add(value(e));
      }
      return "[" + String.join(", ", parts) + "]";
    } else if (v instanceof ObjectValue) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, Value> e : ((ObjectValue) v).fields().entrySet()) {
        parts.add(Strconv.quote(e.getKey()) + ": " + value(e.getValue()));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    return "<error>";
  }
}
