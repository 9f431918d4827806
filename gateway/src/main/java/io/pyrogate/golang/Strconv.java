package io.pyrogate.golang;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv}: {@code Quote}, {@code QuoteRune}, {@code IsPrint}, {@code FormatFloat} and
 * the base-10 {@code ParseInt}, {@code ParseUint} and {@code ParseFloat}, for messages and values
 * that must read as Go's.
 */
public final class Strconv {
  private Strconv() {}

  /**
   * {@code strconv.Quote}: a double-quoted Go string literal; printable characters stay, others
   * become Go escapes. A lone surrogate, which a Go string cannot hold as a character, is quoted as
   * Go quotes the three bytes it would encode to ({@code \xed\xa0\x80} for U+D800), as Go quotes
   * any invalid UTF-8.
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
        appendByte(b, 0xE0 | cp >> 12);
        appendByte(b, 0x80 | (cp >> 6 & 0x3F));
        appendByte(b, 0x80 | (cp & 0x3F));
      } else {
        appendEscaped(b, cp, '"');
      }
    }
    return b.append('"').toString();
  }

  /**
   * {@code strconv.QuoteRune}: a single-quoted character literal; an invalid code point quotes as
   * U+FFFD.
   */
  public static String quoteRune(int cp) {
    StringBuilder b = new StringBuilder(12).append('\'');
    appendEscaped(b, validRune(cp) ? cp : 0xFFFD, '\'');
    return b.append('\'').toString();
  }

  /** {@code utf8.ValidRune}: a Unicode code point that is not a surrogate. */
  public static boolean validRune(long cp) {
    return cp >= 0 && cp <= Character.MAX_CODE_POINT && !(cp >= 0xD800 && cp < 0xE000);
  }

  /** {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  public static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (cp < 0 || cp > Character.MAX_CODE_POINT) {
      return false;
    }
    switch (Character.getType(cp)) {
      case Character.UNASSIGNED:
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  private static void appendEscaped(StringBuilder b, int cp, char quote) {
    if (cp == quote || cp == '\\') {
      b.append('\\').appendCodePoint(cp);
      return;
    }
    if (isPrint(cp)) {
      b.appendCodePoint(cp);
      return;
    }
    switch (cp) {
      case 0x07 -> b.append("\\a");
      case '\b' -> b.append("\\b");
      case '\f' -> b.append("\\f");
      case '\n' -> b.append("\\n");
      case '\r' -> b.append("\\r");
      case '\t' -> b.append("\\t");
      case 0x0B -> b.append("\\v");
      default -> {
        if (cp < ' ' || cp == 0x7F) {
          appendByte(b, cp);
        } else if (cp < 0x10000) {
          b.append(String.format("\\u%04x", cp));
        } else {
          b.append(String.format("\\U%08x", cp));
        }
      }
    }
  }

  private static void appendByte(StringBuilder b, int value) {
    b.append(String.format("\\x%02x", value));
  }

  /**
   * {@code strconv.ParseInt(s, 10, 64)}: an optional sign then decimal digits only (no spaces, no
   * underscores, no base prefix).
   *
   * @throws NumberFormatException when Go's would fail (syntax or range)
   */
  public static long parseInt(String s) {
    int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    requireDigits(s, start);
    return Long.parseLong(s);
  }

  /**
   * {@code strconv.ParseUint(s, 10, 64)}: decimal digits only, up to 2^64 - 1; the result holds the
   * unsigned value's 64 bits, as Go's {@code int64(u)} would (read it with {@link
   * Long#toUnsignedString}).
   *
   * @throws NumberFormatException when Go's would fail (syntax or range)
   */
  public static long parseUint(String s) {
    requireDigits(s, 0);
    return Long.parseUnsignedLong(s);
  }

  /**
   * {@code strconv.ParseFloat(s, 64)} for what Java's parser also reads: decimal and hexadecimal
   * ({@code 0x1.8p1}) floats with an optional sign and exponent. Unlike Java's, no surrounding
   * spaces and no {@code f}/{@code d} suffix; a value beyond the float64 range fails (Go's range
   * error). Go's {@code Inf}, {@code NaN} and digit separators in hexadecimal floats are refused.
   *
   * @throws NumberFormatException when Go's would fail
   */
  public static double parseFloat(String s) {
    if (s.isEmpty()) {
      throw new NumberFormatException("empty string");
    }
    // A Go float ends with a digit or a point: this refuses Java's suffixes, Infinity and NaN.
    char last = s.charAt(s.length() - 1);
    if (!((last >= '0' && last <= '9') || last == '.')
        || s.chars().anyMatch(c -> c <= ' ' || c == '_')) {
      throw new NumberFormatException("invalid syntax: " + s);
    }
    double v = Double.parseDouble(s);
    if (Double.isInfinite(v)) {
      throw new NumberFormatException("value out of range: " + s);
    }
    return v;
  }

  private static void requireDigits(String s, int start) {
    if (s.length() <= start) {
      throw new NumberFormatException("invalid syntax: " + s);
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new NumberFormatException("invalid syntax: " + s);
      }
    }
  }

  /**
   * {@code strconv.FormatFloat(v, fmt, precision, 64)} of a non-negative value for {@code 'e'},
   * {@code 'f'} and {@code 'g'}; {@code precision < 0} means the shortest representation that reads
   * back exactly. NaN is {@code "NaN"} and infinity {@code "Inf"}; the caller writes the sign.
   */
  public static String formatFloat(double v, char fmt, int precision) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return "Inf";
    }
    boolean shortest = precision < 0;
    Digits d;
    if (shortest) {
      d = Digits.of(new BigDecimal(Double.toString(v)));
    } else {
      BigDecimal exact = new BigDecimal(v);
      d =
          switch (fmt) {
            case 'e' ->
                Digits.of(exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN)));
            case 'f' -> Digits.of(exact.setScale(precision, RoundingMode.HALF_EVEN));
            default ->
                Digits.of(
                    exact.round(new MathContext(Math.max(precision, 1), RoundingMode.HALF_EVEN)));
          };
    }
    switch (fmt) {
      case 'e':
        return formatE(d, shortest ? Math.max(d.count() - 1, 0) : precision);
      case 'f':
        return formatF(d, shortest ? Math.max(d.count() - d.point, 0) : precision);
      default:
        {
          int prec = shortest ? d.count() : Math.max(precision, 1);
          int exponentLimit = prec;
          if (exponentLimit > d.count() && d.count() >= d.point) {
            exponentLimit = d.count();
          }
          if (shortest) {
            exponentLimit = 6;
          }
          int exp = d.point - 1;
          if (exp < -4 || exp >= exponentLimit) {
            if (prec > d.count()) {
              prec = d.count();
            }
            return formatE(d, Math.max(prec - 1, 0));
          }
          if (prec > d.point) {
            prec = d.count();
          }
          return formatF(d, Math.max(prec - d.point, 0));
        }
    }
  }

  /** Significant digits without trailing zeros; value = 0.digits × 10^point. Zero has no digits. */
  private record Digits(String digits, int point) {
    static Digits of(BigDecimal x) {
      if (x.signum() == 0) {
        return new Digits("", 0);
      }
      BigDecimal s = x.stripTrailingZeros();
      String digits = s.unscaledValue().abs().toString();
      return new Digits(digits, digits.length() - s.scale());
    }

    int count() {
      return digits.length();
    }

    char at(int i) {
      return i >= 0 && i < digits.length() ? digits.charAt(i) : '0';
    }
  }

  private static String formatE(Digits d, int precision) {
    StringBuilder sb = new StringBuilder();
    sb.append(d.at(0));
    if (precision > 0) {
      sb.append('.');
      for (int i = 1; i <= precision; i++) {
        sb.append(d.at(i));
      }
    }
    int exp = d.count() == 0 ? 0 : d.point - 1;
    sb.append('e').append(exp < 0 ? '-' : '+');
    int abs = Math.abs(exp);
    if (abs < 10) {
      sb.append('0');
    }
    sb.append(abs);
    return sb.toString();
  }

  private static String formatF(Digits d, int precision) {
    StringBuilder sb = new StringBuilder();
    if (d.point > 0) {
      for (int i = 0; i < d.point; i++) {
        sb.append(d.at(i));
      }
    } else {
      sb.append('0');
    }
    if (precision > 0) {
      sb.append('.');
      for (int i = 0; i < precision; i++) {
        sb.append(d.at(d.point + i));
      }
    }
    return sb.toString();
  }
}
