package io.pyrogate.golang;

import java.util.ArrayList;
import java.util.List;

/** Go's {@code strings} where Java's String methods differ, and Go's order of strings. */
public final class Strings {
  private Strings() {}

  /**
   * Go's {@code strings.Compare} (and {@code <} on strings): the order of the UTF-8 bytes, which is
   * code point order. Java's {@link String#compareTo} compares UTF-16 units and puts U+E000..U+FFFF
   * after the supplementary characters; Go puts them before.
   */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * {@code strings.ReplaceAll}: an empty {@code old} inserts {@code replacement} around every
   * character.
   */
  public static String replaceAll(String s, String old, String replacement) {
    if (!old.isEmpty()) {
      return s.replace(old, replacement);
    }
    StringBuilder sb = new StringBuilder(replacement);
    s.codePoints().forEach(c -> sb.appendCodePoint(c).append(replacement));
    return sb.toString();
  }

  /**
   * {@code strings.ToLower}: simple per-character mapping, so "İ" becomes "i" and lengths never
   * change.
   */
  public static String toLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(c)));
    return sb.toString();
  }

  /**
   * {@code strings.ToUpper}: simple per-character mapping, so "ß" stays "ß" (Java's would give
   * "SS").
   */
  public static String toUpper(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.toUpperCase(c)));
    return sb.toString();
  }

  /**
   * {@code strings.Split}: no regex, keeps empty pieces; an empty separator splits into characters.
   */
  public static List<String> split(String s, String sep) {
    List<String> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
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
  public static String trim(String s, String cutset) {
    return trimFunc(s, c -> cutset.indexOf(c) >= 0);
  }

  /**
   * {@code strings.TrimSpace}: leading and trailing white space as {@code unicode.IsSpace} has it.
   */
  public static String trimSpace(String s) {
    return trimFunc(s, Strings::isSpace);
  }

  /**
   * {@code unicode.IsSpace}: {@code '\t' '\n' '\v' '\f' '\r' ' '}, U+0085, U+00A0, and above
   * Latin-1 the characters of Unicode's White_Space property (the space, line and paragraph
   * separators).
   */
  public static boolean isSpace(int c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> c > 0xFF && Character.isSpaceChar(c);
    };
  }

  private interface CodePointTest {
    boolean test(int c);
  }

  private static String trimFunc(String s, CodePointTest cut) {
    int start = 0;
    int end = s.length();
    while (start < end && cut.test(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && cut.test(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }
}
