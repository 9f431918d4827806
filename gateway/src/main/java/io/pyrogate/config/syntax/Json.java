package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Strings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON for {@code encoding.from_json} and {@code encoding.to_json}. Reading keeps object keys in
 * document order; integers that fit a long become {@link NumberValue}, other numbers {@link
 * FloatValue}. Writing follows Go's {@code encoding/json}: keys sorted by their UTF-8 bytes, no
 * spaces, and {@code < > &} escaped.
 */
final class Json {

  private static final int MAX_DEPTH = 200;

  private final String s;
  private final Position at;
  private int i;
  private int depth;

  private Json(String s, Position at) {
    this.s = s;
    this.at = at;
  }

  /**
   * @throws IllegalArgumentException describing the first syntax error
   */
  static Value parse(String text, Position at) {
    Json p = new Json(text, at);
    p.space();
    Value v = p.value();
    p.space();
    if (p.i < text.length()) {
      throw p.error("unexpected " + p.found() + " after the value");
    }
    return v;
  }

  private Value value() {
    if (i >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return new StringValue(string(), at);
      case 't':
        word("true");
        return new BoolValue(true, at);
      case 'f':
        word("false");
        return new BoolValue(false, at);
      case 'n':
        word("null");
        return new NullValue(at);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + found());
    }
  }

  private Value object() {
    enter();
    i++;
    LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      i++;
      depth--;
      return new ObjectValue(fields, at);
    }
    for (; ; ) {
      space();
      if (peek() != '"') {
        throw error("expected a string key, got " + found());
      }
      String key = string();
      space();
      expect(':');
      space();
      fields.put(key, value());
      space();
      if (peek() == ',') {
        i++;
        continue;
      }
      expect('}');
      depth--;
      return new ObjectValue(fields, at);
    }
  }

  private Value array() {
    enter();
    i++;
    List<Value> elements = new ArrayList<>();
    space();
    if (peek() == ']') {
      i++;
      depth--;
      return new ArrayValue(elements, at);
    }
    for (; ; ) {
      space();
      elements.add(value());
      space();
      if (peek() == ',') {
        i++;
        continue;
      }
      expect(']');
      depth--;
      return new ArrayValue(elements, at);
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested too deeply");
    }
  }

  private String string() {
    i++; // opening quote
    StringBuilder sb = new StringBuilder();
    for (; ; ) {
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          char u = hex4();
          if (Character.isHighSurrogate(u)
              && s.startsWith("\\u", i)
              && hexAt(i + 2) >= 0
              && Character.isLowSurrogate((char) hexAt(i + 2))) {
            sb.append(u).append((char) hexAt(i + 2));
            i += 6;
          } else {
            // Go's decoder replaces a surrogate that is not half of a pair.
            sb.append(Character.isSurrogate(u) ? '\uFFFD' : u);
          }
          break;
        default:
          throw error("invalid escape \\" + e);
      }
    }
  }

  /** The four hex digits of a {@code \\u} escape at {@code i}, which it passes. */
  private char hex4() {
    if (i + 4 > s.length()) {
      throw error("short \\u escape");
    }
    int c = hexAt(i);
    if (c < 0) {
      throw error("invalid \\u escape");
    }
    i += 4;
    return (char) c;
  }

  /** The value of the four ASCII hex digits at {@code at}, or -1. */
  private int hexAt(int at) {
    if (at + 4 > s.length()) {
      return -1;
    }
    int v = 0;
    for (int k = at; k < at + 4; k++) {
      char c = s.charAt(k);
      int d = c < 0x80 ? Character.digit(c, 16) : -1;
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private Value number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    int digits = digits();
    if (digits == 0) {
      throw error("invalid number");
    }
    if (digits > 1 && s.charAt(i - digits) == '0') {
      i -= digits - 1; // as Go: a leading zero is the whole integer part, what follows is extra
      return new NumberValue(0, at);
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      i++;
      if (digits() == 0) {
        throw error("invalid number");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (digits() == 0) {
        throw error("invalid number");
      }
    }
    String text = s.substring(start, i);
    if (integral) {
      try {
        return new NumberValue(Long.parseLong(text), at);
      } catch (NumberFormatException e) {
        // too large: a float, as Go would read it
      }
    }
    double d = Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw error("number " + text + " is out of range");
    }
    return new FloatValue(d, at);
  }

  private int digits() {
    int n = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      n++;
    }
    return n;
  }

  private void word(String w) {
    if (!s.startsWith(w, i)) {
      throw error("unexpected " + found());
    }
    i += w.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "', got " + found());
    }
    i++;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void space() {
    while (i < s.length()
        && (s.charAt(i) == ' '
            || s.charAt(i) == '\t'
            || s.charAt(i) == '\n'
            || s.charAt(i) == '\r')) {
      i++;
    }
  }

  private String found() {
    return i >= s.length() ? "end of input" : "'" + s.charAt(i) + "'";
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at offset " + i);
  }

  // ---------------------------------------------------------------- writing

  /**
   * @throws IllegalArgumentException for values JSON cannot hold (NaN, infinities, references)
   */
  static String write(Value v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb, 0);
    return sb.toString();
  }

  private static void write(Value v, StringBuilder sb, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("value is nested too deeply");
    }
    if (v instanceof StringValue) {
      writeString(((StringValue) v).value(), sb);
    } else if (v instanceof NumberValue) {
      sb.append(((NumberValue) v).value());
    } else if (v instanceof FloatValue) {
      double d = ((FloatValue) v).value();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("unsupported value " + GoFormat.formatFloatPlain(d));
      }
      double abs = Math.abs(d);
      String text =
          abs != 0 && (abs < 1e-6 || abs >= 1e21)
              ? Strconv.formatFloat(abs, 'e', -1).replaceFirst("e([-+])0(\\d)$", "e$1$2")
              : Strconv.formatFloat(abs, 'f', -1);
      // The sign bit, so -0 is written "-0" as Go writes it.
      sb.append(Double.doubleToRawLongBits(d) < 0 ? "-" : "").append(text);
    } else if (v instanceof BoolValue) {
      sb.append(((BoolValue) v).value());
    } else if (v instanceof NullValue) {
      sb.append("null");
    } else if (v instanceof ArrayValue) {
      sb.append('[');
      boolean first = true;
      for (Value e : ((ArrayValue) v).elements()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(e, sb, depth + 1);
      }
      sb.append(']');
    } else if (v instanceof ObjectValue) {
      sb.append('{');
      boolean first = true;
      Map<String, Value> sorted =
          new TreeMap<>(Strings::compare); // encoding/json sorts keys by their bytes
      sorted.putAll(((ObjectValue) v).fields());
      for (Map.Entry<String, Value> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb, depth + 1);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("cannot encode " + Evaluator.describe(v) + " as JSON");
    }
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c)
                  && k + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(k + 1)))) {
            // A lone surrogate stands for the three bytes Go would hold, none of them valid UTF-8:
            // encoding/json writes a replacement for each invalid byte.
            sb.append("\\ufffd\\ufffd\\ufffd");
          } else if (Character.isHighSurrogate(c)) {
            sb.append(c).append(s.charAt(++k));
          } else if (c < 0x20
              || c == '<'
              || c == '>'
              || c == '&'
              || c == '\u2028'
              || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
