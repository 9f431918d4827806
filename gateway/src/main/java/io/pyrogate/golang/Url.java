package io.pyrogate.golang;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code net/url} escaping: {@code QueryEscape}, {@code QueryUnescape}, {@code PathUnescape}
 * and {@code ParseQuery}.
 */
public final class Url {
  private Url() {}

  /**
   * {@code url.ParseQuery(rawQuery).Get(key)}, as a Go server reads {@code r.URL.Query().Get(key)}:
   * pairs split at {@code &}, a pair containing {@code ;} or a malformed escape skipped, the first
   * value of a repeated key winning, and "" when the key is absent.
   */
  public static String queryGet(String rawQuery, String key) {
    if (rawQuery == null) {
      return "";
    }
    int start = 0;
    while (start < rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      String pair = rawQuery.substring(start, end);
      start = end + 1;
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        if (queryUnescape(eq < 0 ? pair : pair.substring(0, eq)).equals(key)) {
          return eq < 0 ? "" : queryUnescape(pair.substring(eq + 1));
        }
      } catch (EscapeError e) {
        // Go's ParseQuery skips the pair and goes on
      }
    }
    return "";
  }

  /**
   * {@code url.QueryEscape}: unreserved bytes as they are, a space as {@code +}, every other byte
   * as {@code %XX}.
   */
  public static String queryEscape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /**
   * {@code url.QueryUnescape}: {@code %XX} as the byte XX, {@code +} as a space; the bytes are read
   * as UTF-8.
   *
   * @throws EscapeError for a {@code %} not followed by two hex digits
   */
  public static String queryUnescape(String s) {
    return unescape(s, true);
  }

  /**
   * {@code url.PathUnescape}, which is also how {@code url.Parse} reads a user name and password:
   * as {@link #queryUnescape} but a {@code +} stays a plus.
   *
   * @throws EscapeError for a {@code %} not followed by two hex digits
   */
  public static String pathUnescape(String s) {
    return unescape(s, false);
  }

  private static String unescape(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      int c = in[i] & 0xFF;
      if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new EscapeError(
              new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8));
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
