package io.pyrogate.config.syntax;

/**
 * One token.
 *
 * @param text the source text of the token (for a terminator: {@code "\n"})
 * @param value the unescaped contents of a STRING token, {@code null} otherwise
 * @param position where the token starts; for a TERMINATOR, just after the token it follows
 * @param end the position just after the token's last character
 */
record Token(TokenKind kind, String text, String value, Position position, Position end) {

  private static final int SHOWN_TEXT = 24;

  /** How messages name this token: {@code identifier "foo"}, {@code newline}, {@code '}'} ... */
  String describe() {
    switch (kind) {
      case EOF:
        return "end of file";
      case TERMINATOR:
        return "newline";
      case ILLEGAL:
        return "illegal character";
      case COMMENT:
        return "comment";
      case IDENT:
        return "identifier \"" + text + "\"";
      case NUMBER:
      case FLOAT:
        return "number " + shorten(text);
      case STRING:
        return "string " + shorten(text);
      case BOOL:
      case NULL:
        return "'" + text + "'";
      default:
        return "'" + kind.symbol + "'";
    }
  }

  private static String shorten(String s) {
    String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
    if (oneLine.codePointCount(0, oneLine.length()) <= SHOWN_TEXT) {
      return oneLine;
    }
    return oneLine.substring(0, oneLine.offsetByCodePoints(0, SHOWN_TEXT)) + "...";
  }
}
