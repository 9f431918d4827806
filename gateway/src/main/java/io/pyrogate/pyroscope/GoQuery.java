package io.pyrogate.pyroscope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one parameter of a raw query string the way Go's {@code url.Values.Get} sees it after
 * {@code r.URL.Query()}: pairs split at {@code &}, a pair with a {@code ;} or a bad percent escape ignored,
 * {@code +} meaning a space, and the first value of a repeated key winning.
 */
public final class GoQuery {
  private GoQuery() {
  }

  /** The first value of {@code key}, or "" when absent (as Go's {@code Get}). */
  public static String get(String rawQuery, String key) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      String pair = rawQuery.substring(start, end);
      start = end + 1;
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        if (amp < 0) {
          break;
        }
        continue;
      }
      int eq = pair.indexOf('=');
      String k = unescape(eq < 0 ? pair : pair.substring(0, eq));
      if (k != null && k.equals(key)) {
        String v = eq < 0 ? "" : unescape(pair.substring(eq + 1));
        if (v != null) {
          return v;
        }
      }
      if (amp < 0) {
        break;
      }
    }
    return "";
  }

  /** Go's {@code url.QueryUnescape}; null when the escape is malformed. */
  public static String unescape(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '+') {
        out.write(' ');
      } else if (b == '%') {
        if (i + 2 >= raw.length) {
          return null;
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Go's {@code url.QueryEscape}: unreserved bytes as they are, a space as {@code +}, every other byte as {@code %XX}. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
          || c == '~') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
