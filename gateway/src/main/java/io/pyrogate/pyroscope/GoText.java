package io.pyrogate.pyroscope;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The few Go string behaviours Pyroscope's error messages and limits depend on: byte lengths in UTF-8,
 * {@code strings.TrimSpace}, and {@code %q} quoting of strings and runes.
 */
public final class GoText {
  private GoText() {
  }

  /** Go's {@code len(s)}: the length in UTF-8 bytes. */
  public static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Whether the string can be encoded as UTF-8 (no unpaired surrogates): Go's {@code utf8.ValidString}. */
  public static boolean validUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bytes are well-formed UTF-8. */
  public static boolean validUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Go's {@code strings.TrimSpace}. */
  public static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}. */
  public static boolean isSpace(int c) {
    switch (c) {
      case '\t': case '\n': case 0x0B: case '\f': case '\r': case ' ': case 0x85: case 0xA0:
        return true;
      default:
        if (c < 0x100) {
          return false;
        }
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR;
    }
  }

  /** Go's {@code strconv.Quote}: a double-quoted string literal. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(cp -> appendEscaped(b, cp, '"'));
    return b.append('"').toString();
  }

  /** Go's {@code %q} of a rune: a single-quoted character literal. */
  public static String quoteRune(int cp) {
    StringBuilder b = new StringBuilder(8).append('\'');
    appendEscaped(b, cp, '\'');
    return b.append('\'').toString();
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
      case 0x07: b.append("\\a"); return;
      case '\b': b.append("\\b"); return;
      case '\f': b.append("\\f"); return;
      case '\n': b.append("\\n"); return;
      case '\r': b.append("\\r"); return;
      case '\t': b.append("\\t"); return;
      case 0x0B: b.append("\\v"); return;
      default:
        if (cp < ' ' || cp == 0x7F) {
          b.append(String.format("\\x%02x", cp));
        } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
          b.append("\\ufffd"); // Go strings cannot hold a lone surrogate; it decodes as the replacement rune
        } else if (cp < 0x10000) {
          b.append(String.format("\\u%04x", cp));
        } else {
          b.append(String.format("\\U%08x", cp));
        }
    }
  }

  /** Close to Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  private static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UNASSIGNED: case Character.CONTROL: case Character.FORMAT: case Character.PRIVATE_USE:
      case Character.SURROGATE: case Character.SPACE_SEPARATOR: case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return false;
      default:
        return true;
    }
  }
}
