package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the Alloy configuration syntax.
 *
 * <pre>
 * File      = Body
 * Body      = [ Statement { TERMINATOR Statement } ]
 * Statement = Attribute | Block
 * Attribute = ident "=" Expr
 * Block     = ident { "." ident } [ STRING ] "{" Body "}"
 * Expr      = Or ;  Or = And { "||" And } ;  And = Cmp { "&amp;&amp;" Cmp }
 * Cmp       = Add { ("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") Add }
 * Add       = Mul { ("+" | "-") Mul } ;  Mul = Pow { ("*" | "/" | "%") Pow }
 * Pow       = Unary [ "^" Pow ] ;  Unary = { "!" | "-" } Postfix
 * Postfix   = Primary { "." ident | "[" Expr "]" | "(" [ ExprList ] ")" }
 * Primary   = ident | STRING | NUMBER | FLOAT | BOOL | null | "(" Expr ")"
 *           | "[" [ ExprList ] "]" | "{" [ FieldList ] "}"
 * ExprList  = Expr { "," Expr } [ "," ] ;  FieldList = Field { "," Field } [ "," ]
 * Field     = ( ident | STRING ) "=" Expr
 * </pre>
 *
 * <p>The parser never stops at the first error and never throws on bad input. It reports "expected
 * X, got Y" at the exact token, resynchronises (at the end of the statement, or of the list
 * element, keeping brackets balanced) and goes on, so independent mistakes each get their own
 * diagnostic. Like Alloy, it drops its own further errors on a line that already has one (from the
 * lexer or from itself). Where no valid expression could be read, the tree holds a {@link BadExpr}.
 */
public final class AlloyParser {

  /** Brackets, parentheses and blocks nested deeper than this are refused (protects the stack). */
  static final int MAX_NESTING = 100;

  /** Expression trees deeper than this (e.g. very long operator chains) are refused. */
  static final int MAX_EXPRESSION_DEPTH = 500;

  private final Diagnostics diags;
  private final Lexer lexer;
  private final Set<Integer> linesWithErrors = new HashSet<>();
  private final Map<Expr, Integer> depths = new IdentityHashMap<>();
  private Token tok;
  private Token prev;
  private final List<Token> lookahead = new ArrayList<>(2);
  private int nesting;

  private AlloyParser(String file, String source, Diagnostics diags) {
    this.diags = diags;
    this.lexer =
        new Lexer(
            file,
            source,
            (position, message) -> {
              linesWithErrors.add(position.line());
              diags.error(position, message);
            });
    next();
  }

  /**
   * Parses a whole file. Never throws on bad input; the result is best-effort when errors were
   * reported.
   */
  public static Body parse(String file, String source, Diagnostics diags) {
    AlloyParser p = null;
    try {
      p = new AlloyParser(file, source, diags);
      return new Body(p.parseStatements(null));
    } catch (RuntimeException e) {
      internalError(p, file, diags, e);
      return new Body(List.of());
    }
  }

  /**
   * Parses a single expression (the right-hand side of an attribute), for tools and tests. Anything
   * after the expression is an error.
   */
  public static Expr parseExpression(String file, String source, Diagnostics diags) {
    AlloyParser p = null;
    try {
      p = new AlloyParser(file, source, diags);
      Expr e = p.parseExpr();
      while (p.tok.kind() == TokenKind.TERMINATOR) {
        p.next();
      }
      if (p.tok.kind() != TokenKind.EOF) {
        p.errorAtToken("expected end of expression, got " + p.tok.describe());
      }
      return e;
    } catch (RuntimeException e) {
      internalError(p, file, diags, e);
      return new BadExpr(new Position(file, 1, 1));
    }
  }

  /**
   * A bug, not bad input: report it as a diagnostic rather than failing the whole load with a stack
   * trace.
   */
  private static void internalError(
      AlloyParser p, String file, Diagnostics diags, RuntimeException e) {
    Position at = p != null && p.tok != null ? p.tok.position() : new Position(file, 1, 1);
    diags.error(at, "internal parser error (please report it): " + e);
  }

  // ---------------------------------------------------------------- statements

  /**
   * Statements up to the '}' closing the block opened by {@code blockOpen} (not consumed), or to
   * end of file when {@code blockOpen} is null.
   */
  private List<Statement> parseStatements(Token blockOpen) {
    List<Statement> out = new ArrayList<>();
    for (; ; ) {
      switch (tok.kind()) {
        case TERMINATOR:
          next();
          continue;
        case EOF:
          return out;
        case RCURLY:
          if (blockOpen != null) {
            return out;
          }
          errorAtToken("unexpected '}': there is no open block to close");
          next();
          continue;
        default:
          break;
      }
      Statement stmt = parseStatement();
      if (stmt != null) {
        out.add(stmt);
      }
      TokenKind k = tok.kind();
      if (k == TokenKind.TERMINATOR) {
        next();
        continue;
      }
      if (k == TokenKind.EOF || k == TokenKind.RCURLY || onLaterLine(tok)) {
        continue; // on a later line: only after a value was found missing at the end of the line
      }
      if (stmt != null) {
        String hint =
            k == TokenKind.COMMA
                ? " (statements in a block are separated by newlines, not commas)"
                : unitHint();
        errorAtToken("expected newline after " + describe(stmt) + ", got " + tok.describe() + hint);
      }
      if (k == TokenKind.COMMA) {
        next();
      }
      if (tok.kind() != TokenKind.IDENT) {
        skipStatement();
      } // else: read the next statement on the same line (keeps e.g. `a = 1 b = 2` in the tree)
    }
  }

  private Statement parseStatement() {
    if (tok.kind() != TokenKind.IDENT) {
      errorAtToken("expected attribute or block name, got " + tok.describe());
      skipStatement();
      return null;
    }
    Token first = tok;
    List<String> names = new ArrayList<>();
    names.add(tok.text());
    next();
    while (tok.kind() == TokenKind.DOT) {
      next();
      if (tok.kind() != TokenKind.IDENT) {
        errorAtToken("expected identifier after '.', got " + tok.describe());
        skipStatement();
        return null;
      }
      names.add(tok.text());
      next();
    }
    String name = String.join(".", names);

    String label = null;
    Position labelPosition = null;
    if (tok.kind() == TokenKind.STRING) {
      label = tok.value();
      labelPosition = tok.position();
      if (tok.text().charAt(0) != '"') {
        error(labelPosition, "block label must be a double-quoted string");
      } else if (!label.isEmpty() && !Lexer.isValidIdentifier(label)) {
        error(
            labelPosition,
            "invalid block label "
                + quote(label)
                + ": a label may only contain letters, digits"
                + " and '_', and must not start with a digit");
      }
      next();
    }

    if (tok.kind() == TokenKind.ASSIGN) {
      if (names.size() > 1) {
        error(
            first.position(),
            "attribute name " + quote(name) + " must be a single identifier without '.'");
      } else if (label != null) {
        error(labelPosition, "attribute " + quote(name) + " cannot have a label");
      }
      next();
      Expr value = parseExpr();
      return new Attribute(name, value, first.position());
    }

    if (tok.kind() == TokenKind.LCURLY) {
      Token open = tok;
      next();
      String shown = label == null ? name : name + " " + quote(label);
      List<Statement> body;
      if (nesting >= MAX_NESTING) {
        errorAtToken("blocks are nested too deeply (more than " + MAX_NESTING + " levels)");
        skipToClosing();
        return new Block(names, label, labelPosition, new Body(List.of()), first.position());
      }
      nesting++;
      try {
        body = parseStatements(open);
      } finally {
        nesting--;
      }
      if (tok.kind() == TokenKind.RCURLY) {
        next();
      } else {
        errorAtToken(
            "expected '}' to close block "
                + shown
                + " opened at "
                + lineColumn(open.position())
                + ", got "
                + tok.describe());
      }
      return new Block(names, label, labelPosition, new Body(body), first.position());
    }

    if (names.size() == 1 && label == null) {
      errorAtToken("expected '=' or '{' after " + quote(name) + ", got " + tok.describe());
    } else {
      errorAtToken(
          "expected '{' after block name "
              + (label == null ? name : name + " " + quote(label))
              + ", got "
              + tok.describe());
    }
    skipStatement();
    return null;
  }

  /**
   * Skips to the end of the current statement: the next newline or '}' outside any brackets opened
   * while skipping (neither consumed), or end of file.
   */
  private void skipStatement() {
    int depth = 0;
    for (; ; ) {
      switch (tok.kind()) {
        case EOF:
          return;
        case TERMINATOR:
          if (depth == 0) {
            return;
          }
          break;
        case RCURLY:
          if (depth == 0) {
            return;
          }
          depth--;
          break;
        case RPAREN:
        case RBRACK:
          if (depth > 0) {
            depth--;
          }
          break;
        case LCURLY:
        case LPAREN:
        case LBRACK:
          depth++;
          break;
        default:
          break;
      }
      next();
    }
  }

  /** Skips to just after the closer matching an opener already consumed. */
  private void skipToClosing() {
    int depth = 1;
    for (; ; ) {
      TokenKind k = tok.kind();
      if (k == TokenKind.EOF) {
        return;
      }
      if (k == TokenKind.LCURLY || k == TokenKind.LPAREN || k == TokenKind.LBRACK) {
        depth++;
      } else if (k.isCloser()) {
        depth--;
      }
      next();
      if (depth == 0) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  private Expr parseExpr() {
    if (nesting >= MAX_NESTING) {
      Position at = tok.position();
      errorAtToken("expression is nested too deeply (more than " + MAX_NESTING + " levels)");
      skipExpression();
      return new BadExpr(at);
    }
    nesting++;
    try {
      return parseBinary(1);
    } finally {
      nesting--;
    }
  }

  /** Left-associative binary operators of precedence {@code minPrecedence} (1..5) and above. */
  private Expr parseBinary(int minPrecedence) {
    Expr left = parsePower();
    for (; ; ) {
      int precedence = tok.kind().binaryPrecedence();
      if (precedence == 0 || precedence == 6 || precedence < minPrecedence) {
        return left;
      }
      String op = tok.kind().symbol;
      next();
      Expr right = parseBinary(precedence + 1);
      left = node(new BinaryExpr(op, left, right, left.position()), left, right);
    }
  }

  /** {@code ^} is right-associative: {@code 2 ^ 3 ^ 2} is {@code 2 ^ (3 ^ 2)}. */
  private Expr parsePower() {
    Expr first = parseUnary();
    if (tok.kind() != TokenKind.POW) {
      return first;
    }
    List<Expr> operands = new ArrayList<>();
    operands.add(first);
    while (tok.kind() == TokenKind.POW) {
      next();
      operands.add(parseUnary());
    }
    Expr result = operands.get(operands.size() - 1);
    for (int i = operands.size() - 2; i >= 0; i--) {
      Expr left = operands.get(i);
      result = node(new BinaryExpr("^", left, result, left.position()), left, result);
    }
    return result;
  }

  private Expr parseUnary() {
    List<Token> ops = new ArrayList<>();
    while (tok.kind() == TokenKind.NOT || tok.kind() == TokenKind.SUB) {
      ops.add(tok);
      next();
    }
    Expr e = parsePostfix();
    for (int i = ops.size() - 1; i >= 0; i--) {
      Token op = ops.get(i);
      e = node(new UnaryExpr(op.kind().symbol, e, op.position()), e);
    }
    return e;
  }

  private Expr parsePostfix() {
    Expr e = parsePrimary();
    for (; ; ) {
      switch (tok.kind()) {
        case DOT:
          {
            next();
            if (tok.kind() != TokenKind.IDENT || statementAhead(0, true)) {
              if (onLaterLine(tok)) {
                error(prev.end(), "expected identifier after '.', got newline");
                return e;
              }
              errorAtToken("expected identifier after '.', got " + tok.describe());
              return e;
            }
            e = node(new AccessExpr(e, tok.text(), e.position()), e);
            next();
            break;
          }
        case LBRACK:
          {
            next();
            Expr index = parseExpr();
            expectCloser(TokenKind.RBRACK, "expected ']' after index");
            e = node(new IndexExpr(e, index, e.position()), e, index);
            break;
          }
        case LPAREN:
          {
            next();
            List<Expr> args = parseExprList(TokenKind.RPAREN);
            expectCloser(TokenKind.RPAREN, "expected ')' to close the argument list");
            List<Expr> children = new ArrayList<>(args);
            children.add(e);
            e = node(new CallExpr(e, args, e.position()), children.toArray(new Expr[0]));
            break;
          }
        default:
          return e;
      }
    }
  }

  private Expr parsePrimary() {
    Token t = tok;
    Position at = t.position();
    if (statementAhead(0, true)) {
      // `a =` at the end of a line, then `b = 1`: the value is missing; do not eat the next
      // statement.
      error(prev.end(), "expected expression, got newline");
      return new BadExpr(prev.end());
    }
    switch (t.kind()) {
      case IDENT:
        next();
        return new IdentExpr(t.text(), at);
      case STRING:
        next();
        return new StringLit(t.value(), at);
      case NUMBER:
        next();
        return numberLiteral(t);
      case FLOAT:
        next();
        return floatLiteral(t);
      case BOOL:
        next();
        return new BoolLit(t.text().equals("true"), at);
      case NULL:
        next();
        return new NullLit(at);
      case LPAREN:
        {
          next();
          Expr inner = parseExpr();
          expectCloser(TokenKind.RPAREN, "expected ')'");
          return node(new ParenExpr(inner, at), inner);
        }
      case LBRACK:
        {
          next();
          List<Expr> elements = parseExprList(TokenKind.RBRACK);
          expectCloser(
              TokenKind.RBRACK, "expected ']' to close the array opened at " + lineColumn(at));
          return node(new ArrayExpr(elements, at), elements.toArray(new Expr[0]));
        }
      case LCURLY:
        {
          next();
          List<ObjectExpr.Field> fields = parseFieldList();
          expectCloser(
              TokenKind.RCURLY, "expected '}' to close the object opened at " + lineColumn(at));
          Expr[] values = new Expr[fields.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = fields.get(i).value();
          }
          return node(new ObjectExpr(fields, at), values);
        }
      default:
        if (onLaterLine(t)) {
          error(prev.end(), "expected expression, got newline");
        } else {
          errorAtToken("expected expression, got " + t.describe());
        }
        skipExpression();
        return new BadExpr(at);
    }
  }

  private Expr numberLiteral(Token t) {
    try {
      return new NumberLit(Long.parseLong(t.text()), t.position());
    } catch (NumberFormatException e) {
      // Too large for an integer: Alloy falls back to a float as well.
      return new FloatLit(Double.parseDouble(t.text()), t.position());
    }
  }

  private Expr floatLiteral(Token t) {
    double v;
    try {
      v = Double.parseDouble(t.text());
    } catch (NumberFormatException e) {
      return new BadExpr(t.position()); // only after "exponent has no digits", already reported
    }
    if (Double.isInfinite(v)) {
      error(t.position(), "number " + t.text() + " is out of range");
      return new BadExpr(t.position());
    }
    return new FloatLit(v, t.position());
  }

  /**
   * Expressions separated by ',' with an optional trailing ',', up to {@code close} (not consumed).
   */
  private List<Expr> parseExprList(TokenKind close) {
    List<Expr> items = new ArrayList<>();
    while (tok.kind() != close && !endsList(close) && !statementAhead(0, true)) {
      Token before = tok;
      items.add(parseExpr());
      if (!afterListItem(close, "expression list", "element")) {
        break;
      }
      if (tok == before) {
        next(); // never loop without progress
      }
    }
    return items;
  }

  private List<ObjectExpr.Field> parseFieldList() {
    List<ObjectExpr.Field> fields = new ArrayList<>();
    while (tok.kind() != TokenKind.RCURLY
        && !endsList(TokenKind.RCURLY)
        && !statementAhead(0, false)) {
      Token before = tok;
      ObjectExpr.Field f = parseField();
      if (f != null) {
        fields.add(f);
      }
      if (!afterListItem(TokenKind.RCURLY, "field list", "field")) {
        break;
      }
      if (tok == before) {
        next(); // never loop without progress
      }
    }
    return fields;
  }

  /**
   * End of file or a closer that belongs to an enclosing construct: stop the list, let the caller
   * complain.
   */
  private boolean endsList(TokenKind close) {
    return tok.kind() == TokenKind.EOF || (tok.kind().isCloser() && tok.kind() != close);
  }

  /**
   * Handles what follows a list item. Returns false when the list is over (the closer or something
   * that ends it is current).
   */
  private boolean afterListItem(TokenKind close, String what, String item) {
    TokenKind k = tok.kind();
    if (k == TokenKind.COMMA) {
      next();
      return true;
    }
    if (k == close || endsList(close)) {
      return false;
    }
    if (k == TokenKind.TERMINATOR) {
      TokenKind after = peek(1).kind();
      if (after != close
          && (after == TokenKind.EOF
              || after.isCloser()
              || statementAhead(1, close != TokenKind.RCURLY))) {
        // The list was never closed: leave the newline for the caller, which reports the missing
        // closer
        // at the end of this line, and let the statement on the next line parse normally.
        return false;
      }
      String hint =
          after == close
              ? " (when the closing '"
                  + close.symbol
                  + "' is on its own line, the last "
                  + item
                  + " needs a ',' too)"
              : "";
      errorAtToken("missing ',' in " + what + hint);
      next();
      return true;
    }
    errorAtToken("missing ',' in " + what);
    if (!k.startsExpression()) {
      next(); // make progress; an expression start is kept as the next item
    }
    return true;
  }

  /**
   * Does a statement ({@code name = ...}, {@code a.b {}, {@code a.b "label" ...}) start at the token
   * {@code ahead} positions from the current one, on a later line than the last token read? Such a line
   * is never the continuation of an expression, so a list or expression left open before it is missing
   * its end. Inside an object, {@code name = ...} is a field and does not count ({@code assignCounts}).
   */
  private boolean statementAhead(int ahead, boolean assignCounts) {
    Token first = lookahead(ahead);
    if (first.kind() != TokenKind.IDENT || !onLaterLine(first)) {
      return false;
    }
    int i = ahead + 1;
    for (int fragments = 1;
        fragments < 16
            && lookahead(i).kind() == TokenKind.DOT
            && lookahead(i + 1).kind() == TokenKind.IDENT;
        fragments++) {
      i += 2;
    }
    TokenKind k = lookahead(i).kind();
    return k == TokenKind.LCURLY
        || k == TokenKind.STRING
        || (assignCounts && k == TokenKind.ASSIGN);
  }

  private Token lookahead(int n) {
    return n == 0 ? tok : peek(n);
  }

  /** Is {@code t} on a later line than the end of the last token read? */
  private boolean onLaterLine(Token t) {
    return prev != null && t.position().line() > prev.end().line();
  }

  /**
   * Consumes {@code close}, or reports {@code "<message>, got X"}; a missing closer at a line end
   * is "newline".
   */
  private void expectCloser(TokenKind close, String message) {
    if (tok.kind() == close) {
      next();
    } else if (tok.kind() != TokenKind.TERMINATOR
        && onLaterLine(tok)
        && tok.kind() != TokenKind.EOF
        && !tok.kind().isCloser()) {
      error(prev.end(), message + ", got newline");
    } else {
      errorAtToken(message + ", got " + tok.describe());
    }
  }

  private ObjectExpr.Field parseField() {
    Position keyPosition = tok.position();
    String key;
    if (tok.kind() == TokenKind.IDENT) {
      key = tok.text();
    } else if (tok.kind() == TokenKind.STRING) {
      key = tok.value();
    } else {
      errorAtToken("expected field name (identifier or string), got " + tok.describe());
      skipUntilAssignOrItemEnd();
      if (tok.kind() == TokenKind.ASSIGN) {
        next();
        parseExpr(); // check it, but there is no key to keep it under
      }
      return null;
    }
    next();
    Expr value;
    if (tok.kind() == TokenKind.ASSIGN) {
      next();
      value = parseExpr();
    } else {
      errorAtToken("expected '=' after field name " + quote(key) + ", got " + tok.describe());
      value = tok.kind().startsExpression() ? parseExpr() : new BadExpr(tok.position());
    }
    return new ObjectExpr.Field(key, keyPosition, value);
  }

  private void skipUntilAssignOrItemEnd() {
    int depth = 0;
    for (; ; ) {
      TokenKind k = tok.kind();
      if (k == TokenKind.EOF) {
        return;
      }
      if (depth == 0
          && (k == TokenKind.ASSIGN
              || k == TokenKind.COMMA
              || k == TokenKind.TERMINATOR
              || k.isCloser())) {
        return;
      }
      if (k == TokenKind.LCURLY || k == TokenKind.LPAREN || k == TokenKind.LBRACK) {
        depth++;
      } else if (k.isCloser()) {
        depth--;
      }
      next();
    }
  }

  /**
   * Skips the rest of a broken expression: up to a newline, ',' or closer outside the brackets
   * opened while skipping (not consumed), or end of file.
   */
  private void skipExpression() {
    int depth = 0;
    for (; ; ) {
      TokenKind k = tok.kind();
      if (k == TokenKind.EOF) {
        return;
      }
      if (depth == 0 && (k == TokenKind.TERMINATOR || k == TokenKind.COMMA || k.isCloser())) {
        return;
      }
      if (k == TokenKind.LCURLY || k == TokenKind.LPAREN || k == TokenKind.LBRACK) {
        depth++;
      } else if (k.isCloser()) {
        depth--;
      }
      next();
    }
  }

  /** Records the depth of a new node; refuses trees deeper than {@link #MAX_EXPRESSION_DEPTH}. */
  private Expr node(Expr e, Expr... children) {
    int depth = 0;
    for (Expr child : children) {
      depth = Math.max(depth, depths.getOrDefault(child, 1));
    }
    depth++;
    if (depth > MAX_EXPRESSION_DEPTH) {
      error(
          e.position(),
          "expression is too deeply nested (more than " + MAX_EXPRESSION_DEPTH + " levels)");
      return new BadExpr(e.position());
    }
    if (depth > 1) {
      depths.put(e, depth);
    }
    return e;
  }

  // ---------------------------------------------------------------- tokens and errors

  private void next() {
    if (tok != null && tok.kind() != TokenKind.TERMINATOR) {
      prev = tok;
    }
    tok = lookahead.isEmpty() ? scan() : lookahead.remove(0);
  }

  /**
   * The n-th token after the current one. Only used to look at a later line (after a TERMINATOR, or
   * when the current token is on a later line), so lexical errors found while looking ahead do not
   * hide a parser error on the line being finished.
   */
  private Token peek(int n) {
    while (lookahead.size() < n) {
      lookahead.add(scan());
    }
    return lookahead.get(n - 1);
  }

  private Token scan() {
    Token t = lexer.next();
    while (t.kind() == TokenKind.COMMENT) {
      t = lexer.next();
    }
    return t;
  }

  private void errorAtToken(String message) {
    if (tok.kind() == TokenKind.ILLEGAL) {
      return; // the lexer has reported it
    }
    error(tok.position(), message);
  }

  private void error(Position position, String message) {
    if (linesWithErrors.add(position.line())) {
      diags.error(position, message);
    }
  }

  /** A hint for {@code timeout = 5s}: the number and the unit are separate tokens. */
  private String unitHint() {
    if (prev != null
        && (prev.kind() == TokenKind.NUMBER || prev.kind() == TokenKind.FLOAT)
        && tok.kind() == TokenKind.IDENT
        && prev.end().equals(tok.position())) {
      return " (a duration or other value with a unit must be a quoted string, e.g. \""
          + prev.text()
          + tok.text()
          + "\")";
    }
    return "";
  }

  private static String describe(Statement s) {
    if (s instanceof Attribute) {
      return "attribute " + quote(((Attribute) s).name());
    }
    Block b = (Block) s;
    return "block " + b.fullName() + (b.label() == null ? "" : " " + quote(b.label()));
  }

  private static String lineColumn(Position p) {
    return p.line() + ":" + p.column();
  }

  static String quote(String s) {
    return Strconv.quote(s);
  }
}
