package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns Alloy source text into tokens, reporting lexical errors as it goes and never stopping at
 * one.
 *
 * <p>Newlines are significant, Go-style: a newline becomes a {@link TokenKind#TERMINATOR} when the
 * token before it is an identifier, {@code true}/{@code false}/{@code null}, a number, a string,
 * {@code )}, {@code ]} or {@code }}. A {@code //} comment or a block comment spanning lines keeps
 * that rule (the comment is transparent). Illegal characters also end a line, so a stray {@code #}
 * line cannot swallow the statement below it. A terminator is positioned just after the token it
 * follows, which is where a missing {@code ,} belongs.
 *
 * <p>Comments are returned as {@link TokenKind#COMMENT} tokens; the parser skips them and the test
 * harness reads expectations from them.
 */
final class Lexer {

  /** Receives lexical errors. */
  interface ErrorHandler {
    void error(Position position, String message);
  }

  private static final int END = -1;
  private static final int BOM = 0xFEFF;

  private final String file;
  private final String src;
  private final ErrorHandler errors;

  private int offset;
  private int line = 1;
  private int column = 1;

  /** The next newline is significant. */
  private boolean insertTerminator;

  /** A block comment spanning lines followed a terminating token: emit a terminator next. */
  private boolean pendingTerminator;

  /** Where the last non-comment token ended. */
  private Position lastEnd;

  Lexer(String file, String source, ErrorHandler errors) {
    this.file = file;
    this.src = source == null ? "" : source;
    this.errors = errors;
    if (this.src.startsWith("\uFEFF")) {
      offset =
          1; // A byte order mark is allowed as the very first character only; it takes no column.
    }
    lastEnd = here();
  }

  static boolean isValidIdentifier(String s) {
    if (s.isEmpty() || !isLetter(s.codePointAt(0))) {
      return false;
    }
    for (int i = Character.charCount(s.codePointAt(0)); i < s.length(); ) {
      int c = s.codePointAt(i);
      if (!isLetter(c) && !isDigit(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** {@code U+0023 '#'}, or {@code U+0007} for characters that do not print. */
  static String describeChar(int c) {
    String code = String.format("U+%04X", c);
    return Strconv.isPrint(c) ? code + " '" + new String(Character.toChars(c)) + "'" : code;
  }

  Token next() {
    if (pendingTerminator) {
      pendingTerminator = false;
      return terminator();
    }
    skipWhitespace();
    Position start = here();
    int startOffset = offset;
    int c = current();
    if (c == END) {
      if (insertTerminator) {
        insertTerminator = false;
        return terminator();
      }
      return new Token(TokenKind.EOF, "", null, start, start);
    }
    if (c == '\n') {
      advance();
      insertTerminator = false;
      return terminator();
    }
    if (isLetter(c)) {
      advance();
      while (isLetter(current()) || isDigit(current())) {
        advance();
      }
      String text = src.substring(startOffset, offset);
      TokenKind kind = TokenKind.IDENT;
      if (text.equals("true") || text.equals("false")) {
        kind = TokenKind.BOOL;
      } else if (text.equals("null")) {
        kind = TokenKind.NULL;
      }
      return emit(kind, startOffset, start, null, true);
    }
    if (isDecimal(c) || (c == '.' && isDecimal(peek()))) {
      return scanNumber(startOffset, start);
    }
    advance();
    switch (c) {
      case '"':
        return scanQuoted(startOffset, start, '"');
      case '\'':
        error(start, "illegal single-quoted string; use double quotes");
        return scanQuoted(startOffset, start, '\'');
      case '`':
        return scanRaw(startOffset, start);
      case '/':
        if (current() == '/') {
          return lineComment(startOffset, start);
        }
        if (current() == '*') {
          return blockComment(startOffset, start);
        }
        return emit(TokenKind.DIV, startOffset, start, null, false);
      case '|':
        return doubled('|', TokenKind.OR, startOffset, start);
      case '&':
        return doubled('&', TokenKind.AND, startOffset, start);
      case '!':
        return emit(match('=') ? TokenKind.NEQ : TokenKind.NOT, startOffset, start, null, false);
      case '=':
        return emit(match('=') ? TokenKind.EQ : TokenKind.ASSIGN, startOffset, start, null, false);
      case '<':
        return emit(match('=') ? TokenKind.LTE : TokenKind.LT, startOffset, start, null, false);
      case '>':
        return emit(match('=') ? TokenKind.GTE : TokenKind.GT, startOffset, start, null, false);
      case '+':
        return emit(TokenKind.ADD, startOffset, start, null, false);
      case '-':
        return emit(TokenKind.SUB, startOffset, start, null, false);
      case '*':
        return emit(TokenKind.MUL, startOffset, start, null, false);
      case '%':
        return emit(TokenKind.MOD, startOffset, start, null, false);
      case '^':
        return emit(TokenKind.POW, startOffset, start, null, false);
      case '{':
        return emit(TokenKind.LCURLY, startOffset, start, null, false);
      case '}':
        return emit(TokenKind.RCURLY, startOffset, start, null, true);
      case '(':
        return emit(TokenKind.LPAREN, startOffset, start, null, false);
      case ')':
        return emit(TokenKind.RPAREN, startOffset, start, null, true);
      case '[':
        return emit(TokenKind.LBRACK, startOffset, start, null, false);
      case ']':
        return emit(TokenKind.RBRACK, startOffset, start, null, true);
      case ',':
        return emit(TokenKind.COMMA, startOffset, start, null, false);
      case '.':
        return emit(TokenKind.DOT, startOffset, start, null, false);
      default:
        if (c == 0) {
          error(start, "illegal character NUL");
        } else if (c == BOM) {
          error(start, "illegal byte order mark");
        } else {
          error(
              start,
              "illegal character "
                  + describeChar(c)
                  + (c == '#' ? " (comments start with // or /*)" : ""));
        }
        return emit(TokenKind.ILLEGAL, startOffset, start, null, true);
    }
  }

  private Token terminator() {
    return new Token(TokenKind.TERMINATOR, "\n", null, lastEnd, lastEnd);
  }

  private Token emit(
      TokenKind kind, int startOffset, Position start, String value, boolean terminates) {
    Position end = here();
    lastEnd = end;
    insertTerminator = terminates;
    return new Token(kind, src.substring(startOffset, offset), value, start, end);
  }

  private Token doubled(char ch, TokenKind kind, int startOffset, Position start) {
    if (!match(ch)) {
      error(start, "missing second '" + ch + "' in '" + ch + ch + "'");
    }
    return emit(kind, startOffset, start, null, false);
  }

  private Token scanNumber(int startOffset, Position start) {
    TokenKind kind = TokenKind.NUMBER;
    if (current() != '.') {
      digits();
    }
    if (current() == '.') {
      kind = TokenKind.FLOAT;
      advance();
      digits();
    }
    if (current() == 'e' || current() == 'E') {
      kind = TokenKind.FLOAT;
      advance();
      if (current() == '+' || current() == '-') {
        advance();
      }
      if (digits() == 0) {
        error(start, "exponent has no digits");
      }
    }
    return emit(kind, startOffset, start, null, true);
  }

  private int digits() {
    int n = 0;
    while (isDecimal(current())) {
      advance();
      n++;
    }
    return n;
  }

  private Token scanQuoted(int startOffset, Position start, int quote) {
    Chars value = new Chars();
    for (; ; ) {
      int c = current();
      if (c == END || c == '\n') {
        if (quote == '"') { // a single-quoted string has its error already
          error(start, "string literal not terminated");
        }
        break;
      }
      advance();
      if (c == quote) {
        break;
      }
      if (c == '\\') {
        scanEscape(value);
      } else {
        checkInner(c);
        value.append(c);
      }
    }
    return emit(TokenKind.STRING, startOffset, start, value.toString(), true);
  }

  /** Called just after the backslash. Stops at an offending character without consuming it. */
  private void scanEscape(Chars value) {
    Position at = positionBefore(); // the backslash
    int c = current();
    switch (c) {
      case 'a':
        simple(value, 0x07);
        return;
      case 'b':
        simple(value, '\b');
        return;
      case 'f':
        simple(value, '\f');
        return;
      case 'n':
        simple(value, '\n');
        return;
      case 'r':
        simple(value, '\r');
        return;
      case 't':
        simple(value, '\t');
        return;
      case 'v':
        simple(value, 0x0B);
        return;
      case '\\':
      case '"':
      case '\'':
        simple(value, c);
        return;
      case 'x':
        advance();
        numericEscape(value, at, "x", 2, 16, true);
        return;
      case 'u':
        advance();
        numericEscape(value, at, "u", 4, 16, false);
        return;
      case 'U':
        advance();
        numericEscape(value, at, "U", 8, 16, false);
        return;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        numericEscape(value, at, "", 3, 8, true);
        return;
      case END:
      case '\n':
        return; // the caller reports the unterminated string
      default:
        String shown = Strconv.isPrint(c) ? new String(Character.toChars(c)) : describeChar(c);
        error(at, "unknown escape sequence \\" + shown);
    }
  }

  private void simple(Chars value, int c) {
    value.append(c);
    advance();
  }

  private void numericEscape(
      Chars value, Position at, String prefix, int count, int base, boolean isByte) {
    long v = 0;
    StringBuilder written = new StringBuilder(prefix);
    for (int i = 0; i < count; i++) {
      int c = current();
      int d = digitValue(c);
      if (d >= base) {
        if (c == END || c == '\n') {
          error(at, "escape sequence not terminated");
        } else {
          error(at, "illegal character " + describeChar(c) + " in escape sequence");
        }
        return;
      }
      v = v * base + d;
      written.appendCodePoint(c);
      advance();
    }
    if (isByte) {
      if (v > 255) {
        error(at, "octal escape sequence \\" + written + " is greater than 255");
      } else {
        value.appendByte((int) v);
      }
    } else if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000)) {
      error(at, "escape sequence \\" + written + " is not a valid Unicode code point");
    } else {
      value.append((int) v);
    }
  }

  private Token scanRaw(int startOffset, Position start) {
    StringBuilder value = new StringBuilder();
    for (; ; ) {
      int c = current();
      if (c == END) {
        error(start, "raw string literal not terminated");
        break;
      }
      advance();
      if (c == '`') {
        break;
      }
      checkInner(c);
      if (c != '\r') { // as in Go, carriage returns are dropped from raw strings
        value.appendCodePoint(c);
      }
    }
    return emit(TokenKind.STRING, startOffset, start, value.toString(), true);
  }

  private Token lineComment(int startOffset, Position start) {
    while (current() != END && current() != '\n') {
      int c = current();
      advance();
      checkInner(c);
    }
    String text = src.substring(startOffset, offset);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    return new Token(TokenKind.COMMENT, text, null, start, here());
  }

  private Token blockComment(int startOffset, Position start) {
    advance(); // '*'
    boolean spansLines = false;
    for (; ; ) {
      int c = current();
      if (c == END) {
        error(start, "block comment not terminated");
        break;
      }
      if (c == '*' && peek() == '/') {
        advance();
        advance();
        break;
      }
      if (c == '\n') {
        spansLines = true;
      }
      advance();
      checkInner(c);
    }
    if (spansLines && insertTerminator) {
      insertTerminator = false;
      pendingTerminator = true;
    }
    return new Token(TokenKind.COMMENT, src.substring(startOffset, offset), null, start, here());
  }

  /** NUL and a misplaced BOM are errors even inside strings and comments, as in Alloy. */
  private void checkInner(int c) {
    if (c == 0) {
      error(positionBefore(), "illegal character NUL");
    } else if (c == BOM) {
      error(positionBefore(), "illegal byte order mark");
    }
  }

  private void skipWhitespace() {
    for (; ; ) {
      int c = current();
      if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && !insertTerminator)) {
        advance();
      } else {
        return;
      }
    }
  }

  private boolean match(int expected) {
    if (current() == expected) {
      advance();
      return true;
    }
    return false;
  }

  private int current() {
    return offset < src.length() ? src.codePointAt(offset) : END;
  }

  private int peek() {
    if (offset >= src.length()) {
      return END;
    }
    int next = offset + Character.charCount(src.codePointAt(offset));
    return next < src.length() ? src.codePointAt(next) : END;
  }

  private void advance() {
    int c = src.codePointAt(offset);
    offset += Character.charCount(c);
    if (c == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }

  private Position here() {
    return new Position(file, line, column);
  }

  /** The position of the character just consumed (never a newline when called). */
  private Position positionBefore() {
    return new Position(file, line, column - 1);
  }

  private void error(Position position, String message) {
    errors.error(position, message);
  }

  static boolean isLetter(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || (c >= 0x80 && Character.isLetter(c));
  }

  static boolean isDigit(int c) {
    return isDecimal(c) || (c >= 0x80 && Character.isDigit(c));
  }

  private static boolean isDecimal(int c) {
    return c >= '0' && c <= '9';
  }

  private static int digitValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return 16;
  }

  /**
   * String contents. {@code \xNN} and octal escapes are bytes, as in Go; consecutive bytes are
   * decoded as UTF-8 together, so {@code "\xc3\xa9"} is "é". Invalid byte sequences become U+FFFD.
   */
  private static final class Chars {
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    void append(int codePoint) {
      flush();
      text.appendCodePoint(codePoint);
    }

    void appendByte(int b) {
      bytes.write(b);
    }

    private void flush() {
      if (bytes.size() > 0) {
        text.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        bytes.reset();
      }
    }

    @Override
    public String toString() {
      flush();
      return text.toString();
    }
  }
}
