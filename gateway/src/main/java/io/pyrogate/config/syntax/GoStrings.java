package io.pyrogate.config.syntax;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/** Go's {@code strings}, {@code encoding/base64}, {@code net/url} and {@code path} behaviour where Java differs. */
final class GoStrings {

  private GoStrings() {}

  /** {@code strings.ReplaceAll}: an empty {@code old} inserts {@code replacement} around every character. */
  static String replaceAll(String s, String old, String replacement) {
    if (!old.isEmpty()) {
      return s.replace(old, replacement);
    }
    StringBuilder sb = new StringBuilder(replacement);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      sb.appendCodePoint(c).append(replacement);
    }
    return sb.toString();
  }

  /** {@code strings.ToLower}: simple per-character mapping, so "İ" becomes "i" and lengths never change. */
  static String toLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(c)));
    return sb.toString();
  }

  /** {@code strings.ToUpper}: simple per-character mapping, so "ß" stays "ß" (Java's would give "SS"). */
  static String toUpper(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.toUpperCase(c)));
    return sb.toString();
  }

  /** {@code strings.Split}: no regex, keeps empty pieces; an empty separator splits into characters. */
  static List<String> split(String s, String sep) {
    List<String> out = new ArrayList<>();
    if (sep.isEmpty()) {
      for (int i = 0; i < s.length(); ) {
        int c = s.codePointAt(i);
        out.add(new String(Character.toChars(c)));
        i += Character.charCount(c);
      }
      return out;
    }
    int from = 0;
    for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** {@code strings.Trim}: removes leading and trailing characters contained in {@code cutset}. */
  static String trim(String s, String cutset) {
    int start = 0;
    int end = s.length();
    while (start < end && cutset.indexOf(s.codePointAt(start)) >= 0) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && cutset.indexOf(s.codePointBefore(end)) >= 0) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** {@code strings.TrimSpace}: Unicode white space, including U+0085 and U+00A0. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean isSpace(int c) {
    switch (c) {
      case '\t':
      case '\n':
      case 0x0B:
      case '\f':
      case '\r':
      case ' ':
      case 0x85:
      case 0xA0:
        return true;
      default:
        return c > 0xFF && Character.isSpaceChar(c);
    }
  }

  static String base64(String s, boolean url) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return (url ? Base64.getUrlEncoder() : Base64.getEncoder()).encodeToString(bytes);
  }

  /** Go's padded standard (or URL) decoding, which skips line breaks. Bytes are read as UTF-8. */
  static String base64Decode(String s, boolean url) {
    String compact = s.replace("\r", "").replace("\n", "");
    if (compact.length() % 4 != 0) {
      throw new IllegalArgumentException("the value is not valid base64 (its length, without line breaks, must be"
          + " a multiple of 4)");
    }
    try {
      byte[] bytes = (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the value is not valid " + (url ? "URL-safe " : "") + "base64");
    }
  }

  /** {@code url.QueryEscape}. */
  static String queryEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /** {@code url.QueryUnescape}. */
  static String queryUnescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      int c = in[i] & 0xff;
      if (c == '+') {
        out.write(' ');
      } else if (c == '%') {
        int hi = i + 1 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
          throw new IllegalArgumentException("invalid URL escape " + GoFormat.quote(bad));
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /** {@code filepath.Join} on a Unix system: non-empty elements joined by '/', then cleaned. */
  static String pathJoin(String... elements) {
    StringBuilder sb = new StringBuilder();
    for (String e : elements) {
      if (!e.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('/');
        }
        sb.append(e);
      }
    }
    return sb.length() == 0 ? "" : clean(sb.toString());
  }

  /** {@code path.Clean}. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
