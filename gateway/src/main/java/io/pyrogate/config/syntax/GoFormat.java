package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Strings;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt.Sprintf} for Alloy values, so {@code string.format} gives the same text as in
 * Alloy.
 *
 * <p>Supported: flags {@code + - # 0 space}, width, precision, and the verbs {@code v s q d t b o O
 * x X c U e E f F g G %}. Misuse gives Go's inline markers ({@code %!d(string=hi)}, {@code
 * %!s(MISSING)}, {@code %!(EXTRA int=1)}) and is also listed in {@code problems} so the caller can
 * warn. Not supported: {@code *} widths and {@code [n]} argument indexes (they print as bad verbs).
 */
final class GoFormat {

  private static final int MAX_WIDTH = 10_000;

  private GoFormat() {}

  private static final class Spec {
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int precision = -1;
  }

  static String sprintf(String format, List<Value> args, List<String> problems) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    int n = format.length();
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      Spec spec = new Spec();
      flags:
      while (i < n) {
        switch (format.charAt(i)) {
          case '-':
            spec.minus = true;
            break;
          case '+':
            spec.plus = true;
            break;
          case '#':
            spec.sharp = true;
            break;
          case ' ':
            spec.space = true;
            break;
          case '0':
            spec.zero = true;
            break;
          default:
            break flags;
        }
        i++;
      }
      while (i < n && Character.isDigit(format.charAt(i)) && format.charAt(i) < 128) {
        spec.width = Math.min(MAX_WIDTH, Math.max(0, spec.width) * 10 + (format.charAt(i) - '0'));
        i++;
      }
      if (i < n && format.charAt(i) == '.') {
        i++;
        spec.precision = 0;
        while (i < n && format.charAt(i) >= '0' && format.charAt(i) <= '9') {
          spec.precision = Math.min(MAX_WIDTH, spec.precision * 10 + (format.charAt(i) - '0'));
          i++;
        }
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        problems.add("the format ends with an incomplete verb");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      String verbText = "%" + new String(Character.toChars(verb));
      if (next >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        problems.add("missing argument for " + verbText);
        continue;
      }
      Value arg = args.get(next++);
      out.append(format(spec, verb, arg, problems));
    }
    if (next < args.size()) {
      List<String> extra = new ArrayList<>();
      for (int j = next; j < args.size(); j++) {
        Value a = args.get(j);
        extra.add(a instanceof NullValue ? "<nil>" : goType(a) + "=" + plain(a));
      }
      out.append("%!(EXTRA ").append(String.join(", ", extra)).append(')');
      int count = args.size() - next;
      problems.add(count + " extra argument" + (count == 1 ? "" : "s") + " not used by the format");
    }
    return out.toString();
  }

  /** {@code %v} of a value. */
  static String plain(Value v) {
    return format(new Spec(), 'v', v, new ArrayList<>());
  }

  private static String format(Spec spec, int verb, Value arg, List<String> problems) {
    if (arg instanceof ArrayValue) {
      List<Value> elements = ((ArrayValue) arg).elements();
      List<String> parts = new ArrayList<>();
      if (verb == 'v' && spec.sharp) {
        for (Value e : elements) {
          parts.add(format(spec, verb, e, problems));
        }
        return "[]interface {}{" + String.join(", ", parts) + "}";
      }
      for (Value e : elements) {
        parts.add(format(spec, verb, e, problems));
      }
      return "[" + String.join(" ", parts) + "]";
    }
    if (arg instanceof ObjectValue) {
      Map<String, Value> sorted =
          new TreeMap<>(Strings::compare); // Go's fmt sorts map keys by their bytes
      sorted.putAll(((ObjectValue) arg).fields());
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, Value> e : sorted.entrySet()) {
        if (verb == 'v' && spec.sharp) {
          parts.add(Strconv.quote(e.getKey()) + ":" + format(spec, verb, e.getValue(), problems));
        } else {
          parts.add(
              format(spec, verb, new StringValue(e.getKey(), arg.position()), problems)
                  + ":"
                  + format(spec, verb, e.getValue(), problems));
        }
      }
      return verb == 'v' && spec.sharp
          ? "map[string]interface {}{" + String.join(", ", parts) + "}"
          : "map[" + String.join(" ", parts) + "]";
    }
    String text = scalar(spec, verb, arg);
    if (text == null) {
      String verbText = new String(Character.toChars(verb));
      problems.add(
          "%" + verbText + " cannot format " + article(arg.typeName()) + " " + arg.typeName());
      if (arg instanceof NullValue) {
        return "%!" + verbText + "(<nil>)";
      }
      return "%!" + verbText + "(" + goType(arg) + "=" + plain(arg) + ")";
    }
    return pad(spec, text, arg instanceof NumberValue || arg instanceof FloatValue);
  }

  private static String scalar(Spec spec, int verb, Value arg) {
    if (arg instanceof StringValue) {
      String s = ((StringValue) arg).value();
      if (spec.precision >= 0 && s.codePointCount(0, s.length()) > spec.precision) {
        s = s.substring(0, s.offsetByCodePoints(0, spec.precision));
      }
      switch (verb) {
        case 'v':
          return spec.sharp ? Strconv.quote(s) : s;
        case 's':
          return s;
        case 'q':
          return Strconv.quote(s);
        case 'x':
        case 'X':
          {
            StringBuilder sb = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
              sb.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xff));
            }
            return sb.toString();
          }
        default:
          return null;
      }
    }
    if (arg instanceof NumberValue) {
      return integer(spec, verb, ((NumberValue) arg).value());
    }
    if (arg instanceof FloatValue) {
      double v = ((FloatValue) arg).value();
      String body;
      switch (verb) {
        case 'v':
        case 'g':
        case 'G':
          body = Strconv.formatFloat(Math.abs(v), 'g', spec.precision);
          break;
        case 'e':
        case 'E':
          body = Strconv.formatFloat(Math.abs(v), 'e', spec.precision < 0 ? 6 : spec.precision);
          break;
        case 'f':
        case 'F':
          body = Strconv.formatFloat(Math.abs(v), 'f', spec.precision < 0 ? 6 : spec.precision);
          break;
        default:
          return null;
      }
      if (Character.isUpperCase(verb)) {
        body = body.toUpperCase(Locale.ROOT);
      }
      return sign(v < 0 || (v == 0 && 1 / v < 0), spec) + body;
    }
    if (arg instanceof BoolValue) {
      return verb == 'v' || verb == 't' ? String.valueOf(((BoolValue) arg).value()) : null;
    }
    if (arg instanceof NullValue) {
      return verb == 'v' ? "<nil>" : null;
    }
    if (arg instanceof ReferenceValue) {
      return verb == 'v' || verb == 's' ? ((ReferenceValue) arg).path() : null;
    }
    return null;
  }

  private static String integer(Spec spec, int verb, long v) {
    boolean negative = v < 0;
    String digits;
    String prefix = "";
    switch (verb) {
      case 'v':
      case 'd':
        digits = unsignedAbs(v, 10);
        break;
      case 'b':
        digits = unsignedAbs(v, 2);
        break;
      case 'o':
        digits = unsignedAbs(v, 8);
        prefix = spec.sharp ? "0" : "";
        break;
      case 'O':
        digits = unsignedAbs(v, 8);
        prefix = "0o";
        break;
      case 'x':
        digits = unsignedAbs(v, 16);
        prefix = spec.sharp ? "0x" : "";
        break;
      case 'X':
        digits = unsignedAbs(v, 16).toUpperCase(Locale.ROOT);
        prefix = spec.sharp ? "0X" : "";
        break;
      case 'c':
        return Strconv.validRune(v) ? new String(Character.toChars((int) v)) : "\uFFFD";
      case 'q':
        return Strconv.validRune(v) ? Strconv.quoteRune((int) v) : "'\uFFFD'";
      case 'U':
        return String.format("U+%04X", v);
      default:
        return null;
    }
    if (spec.precision >= 0) {
      StringBuilder sb = new StringBuilder();
      for (int i = digits.length(); i < spec.precision; i++) {
        sb.append('0');
      }
      digits = spec.precision == 0 && v == 0 ? "" : sb + digits;
    }
    return sign(negative, spec) + prefix + digits;
  }

  private static String unsignedAbs(long v, int radix) {
    if (v == Long.MIN_VALUE) {
      return new BigInteger(Long.toString(v)).negate().toString(radix);
    }
    return Long.toString(Math.abs(v), radix);
  }

  private static String sign(boolean negative, Spec spec) {
    if (negative) {
      return "-";
    }
    return spec.plus ? "+" : spec.space ? " " : "";
  }

  private static String pad(Spec spec, String text, boolean numeric) {
    int length = text.codePointCount(0, text.length());
    if (spec.width <= length) {
      return text;
    }
    String fill = " ".repeat(spec.width - length);
    if (spec.minus) {
      return text + fill;
    }
    if (spec.zero && numeric) {
      int signLength =
          !text.isEmpty()
                  && (text.charAt(0) == '-' || text.charAt(0) == '+' || text.charAt(0) == ' ')
              ? 1
              : 0;
      return text.substring(0, signLength)
          + "0".repeat(spec.width - length)
          + text.substring(signLength);
    }
    return fill + text;
  }

  private static String article(String type) {
    return type.startsWith("a") || type.startsWith("o") ? "an" : "a";
  }

  /** The Go type a value has when Alloy passes it to {@code fmt.Sprintf}. */
  private static String goType(Value v) {
    if (v instanceof StringValue || v instanceof ReferenceValue) {
      return "string";
    } else if (v instanceof NumberValue) {
      return "int";
    } else if (v instanceof FloatValue) {
      return "float64";
    } else if (v instanceof BoolValue) {
      return "bool";
    } else if (v instanceof ArrayValue) {
      return "[]interface {}";
    } else if (v instanceof ObjectValue) {
      return "map[string]interface {}";
    }
    return "<nil>";
  }

  /** Go's %v for a float64: shortest representation, exponent form outside 1e-4 .. 1e21. */
  static String formatFloatPlain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    String body = Strconv.formatFloat(Math.abs(v), 'g', -1);
    return (v < 0 || (v == 0 && 1 / v < 0) ? "-" : "") + body;
  }
}
