package io.pyrogate.config.syntax;

/** Lexical token kinds of the Alloy syntax. */
enum TokenKind {
  EOF(null),
  /** A character the language does not allow; the lexer has reported it. */
  ILLEGAL(null),
  COMMENT(null),
  /** A significant newline, inserted by the lexer (see {@link Lexer}). */
  TERMINATOR(null),

  IDENT(null),
  NUMBER(null),
  FLOAT(null),
  STRING(null),
  BOOL(null),
  NULL(null),

  OR("||"),
  AND("&&"),
  NOT("!"),
  ASSIGN("="),
  EQ("=="),
  NEQ("!="),
  LT("<"),
  LTE("<="),
  GT(">"),
  GTE(">="),
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MOD("%"),
  POW("^"),
  LCURLY("{"),
  RCURLY("}"),
  LPAREN("("),
  RPAREN(")"),
  LBRACK("["),
  RBRACK("]"),
  COMMA(","),
  DOT(".");

  /** The operator or punctuation as written, or {@code null} for the other kinds. */
  final String symbol;

  TokenKind(String symbol) {
    this.symbol = symbol;
  }

  /** 1 ({@code ||}) to 6 ({@code ^}); 0 when the token is not a binary operator. */
  int binaryPrecedence() {
    switch (this) {
      case OR:
        return 1;
      case AND:
        return 2;
      case EQ:
      case NEQ:
      case LT:
      case LTE:
      case GT:
      case GTE:
        return 3;
      case ADD:
      case SUB:
        return 4;
      case MUL:
      case DIV:
      case MOD:
        return 5;
      case POW:
        return 6;
      default:
        return 0;
    }
  }

  boolean startsExpression() {
    switch (this) {
      case IDENT:
      case NUMBER:
      case FLOAT:
      case STRING:
      case BOOL:
      case NULL:
      case LPAREN:
      case LBRACK:
      case LCURLY:
      case NOT:
      case SUB:
        return true;
      default:
        return false;
    }
  }

  boolean isCloser() {
    return this == RCURLY || this == RPAREN || this == RBRACK;
  }
}
