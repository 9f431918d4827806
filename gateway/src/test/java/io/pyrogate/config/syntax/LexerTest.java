package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

  /** Tokens as "KIND text" (comments included), and the lexical errors. */
  private static List<String> tokens(String source, List<String> errors) {
    Lexer lexer = new Lexer("t", source, (p, m) -> errors.add(p + ": " + m));
    List<String> out = new ArrayList<>();
    for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) {
      out.add(
          t.kind() == TokenKind.TERMINATOR
              ? "TERM@" + t.position().line() + ":" + t.position().column()
              : t.kind() + " " + t.text());
    }
    return out;
  }

  private static List<String> tokens(String source) {
    List<String> errors = new ArrayList<>();
    List<String> out = tokens(source, errors);
    assertThat(errors).as("lexical errors").isEmpty();
    return out;
  }

  @Test
  void newlinesAfterOperandsAndClosersAreTerminatorsPlacedJustAfterTheToken() {
    assertThat(tokens("a = 1   \nb = [\n  x,\n]\nc = f(\n)\n"))
        .containsExactly(
            "IDENT a",
            "ASSIGN =",
            "NUMBER 1",
            "TERM@1:6",
            "IDENT b",
            "ASSIGN =",
            "LBRACK [",
            "IDENT x",
            "COMMA ,",
            "RBRACK ]",
            "TERM@4:2",
            "IDENT c",
            "ASSIGN =",
            "IDENT f",
            "LPAREN (",
            "RPAREN )",
            "TERM@6:2");
  }

  @Test
  void everyTerminatingTokenKind() {
    assertThat(tokens("x\ntrue\nnull\n1\n1.5\n\"s\"\n`r`\n)\n]\n}\n"))
        .filteredOn(t -> t.startsWith("TERM"))
        .hasSize(10);
    assertThat(tokens("= \n+ \n( \n[ \n{ \n, \n. \n! \n&& \n"))
        .noneMatch(t -> t.startsWith("TERM"));
  }

  @Test
  void commentsAreTransparentForTerminators() {
    assertThat(tokens("a = 1 // note\nb = 2 /* c */\nc = 3 /* multi\nline */ d = 4"))
        .containsExactly(
            "IDENT a",
            "ASSIGN =",
            "NUMBER 1",
            "COMMENT // note",
            "TERM@1:6",
            "IDENT b",
            "ASSIGN =",
            "NUMBER 2",
            "COMMENT /* c */",
            "TERM@2:6",
            "IDENT c",
            "ASSIGN =",
            "NUMBER 3",
            "COMMENT /* multi\nline */",
            "TERM@3:6",
            "IDENT d",
            "ASSIGN =",
            "NUMBER 4",
            "TERM@4:14");
    assertThat(tokens("a = [ /* x\n */ 1]")).noneMatch(t -> t.startsWith("TERM@1"));
  }

  @Test
  void endOfFileAfterAnOperandIsATerminator() {
    assertThat(tokens("a = b")).containsExactly("IDENT a", "ASSIGN =", "IDENT b", "TERM@1:6");
  }

  @Test
  void operators() {
    assertThat(tokens("|| && ! != = == < <= > >= + - * / % ^ { ( [ , ."))
        .containsExactly(
            "OR ||",
            "AND &&",
            "NOT !",
            "NEQ !=",
            "ASSIGN =",
            "EQ ==",
            "LT <",
            "LTE <=",
            "GT >",
            "GTE >=",
            "ADD +",
            "SUB -",
            "MUL *",
            "DIV /",
            "MOD %",
            "POW ^",
            "LCURLY {",
            "LPAREN (",
            "LBRACK [",
            "COMMA ,",
            "DOT .");
  }

  @Test
  void numbersHaveNoSignAndNoHex() {
    assertThat(tokens("12 1.5 .5 1e3 2E-2 1.e+4 -3 0x1F"))
        .containsExactly(
            "NUMBER 12",
            "FLOAT 1.5",
            "FLOAT .5",
            "FLOAT 1e3",
            "FLOAT 2E-2",
            "FLOAT 1.e+4",
            "SUB -",
            "NUMBER 3",
            "NUMBER 0",
            "IDENT x1F",
            "TERM@1:33");
  }

  @Test
  void identifiersMayUseUnicodeLettersAndDigitsAndUnderscores() {
    assertThat(tokens("_a ünï 名前 a1 x٣ true false null trueish"))
        .containsExactly(
            "IDENT _a",
            "IDENT ünï",
            "IDENT 名前",
            "IDENT a1",
            "IDENT x٣",
            "BOOL true",
            "BOOL false",
            "NULL null",
            "IDENT trueish",
            "TERM@1:40");
  }

  @Test
  void columnsCountCharactersNotBytes() {
    Lexer lexer = new Lexer("t", "\"µµ\" x", (p, m) -> {});
    lexer.next();
    assertThat(lexer.next().position()).isEqualTo(new Position("t", 1, 6));
  }

  @Test
  void aByteOrderMarkIsAllowedFirstAndTakesNoColumn() {
    Lexer lexer = new Lexer("t", "\uFEFFx", (p, m) -> {});
    assertThat(lexer.next().position()).isEqualTo(new Position("t", 1, 1));
  }

  @Test
  void crlfLineEndings() {
    assertThat(tokens("a = 1\r\nb = `x\r\ny`\r\n"))
        .containsExactly(
            "IDENT a",
            "ASSIGN =",
            "NUMBER 1",
            "TERM@1:6",
            "IDENT b",
            "ASSIGN =",
            "STRING `x\r\ny`",
            "TERM@3:3");
    Lexer lexer = new Lexer("t", "`x\r\ny`", (p, m) -> {});
    assertThat(lexer.next().value()).isEqualTo("x\ny");
  }

  @Test
  void stringValuesAreUnescapedAndRawStringsAreNot() {
    Lexer lexer = new Lexer("t", "\"a\\\\b\\101\\x41\\u0041\\U00000041\\'\" `a\\nb`", (p, m) -> {});
    assertThat(lexer.next().value()).isEqualTo("a\\bAAAA'");
    assertThat(lexer.next().value()).isEqualTo("a\\nb");
  }

  @Test
  void byteEscapesFormUtf8Together() {
    Lexer lexer = new Lexer("t", "\"\\xc3\\xa9\\303\\251\\xff\"", (p, m) -> {});
    assertThat(lexer.next().value()).isEqualTo("éé\uFFFD");
  }

  @Test
  void lexicalErrorsDoNotStopTheLexer() {
    List<String> errors = new ArrayList<>();
    List<String> toks = tokens("a # b ~ 'c' \"d\\z\"", errors);
    assertThat(errors)
        .containsExactly(
            "t:1:3: illegal character U+0023 '#' (comments start with // or /*)",
            "t:1:7: illegal character U+007E '~'",
            "t:1:9: illegal single-quoted string; use double quotes",
            "t:1:15: unknown escape sequence \\z");
    assertThat(toks)
        .containsExactly(
            "IDENT a",
            "ILLEGAL #",
            "IDENT b",
            "ILLEGAL ~",
            "STRING 'c'",
            "STRING \"d\\z\"",
            "TERM@1:18");
  }

  @Test
  void nonPrintableIllegalCharactersAreShownByCodeOnly() {
    List<String> errors = new ArrayList<>();
    tokens("\u0007 \u200B", errors);
    assertThat(errors)
        .containsExactly("t:1:1: illegal character U+0007", "t:1:3: illegal character U+200B");
  }

  @Test
  void validIdentifiers() {
    assertThat(Lexer.isValidIdentifier("staging")).isTrue();
    assertThat(Lexer.isValidIdentifier("_x1")).isTrue();
    assertThat(Lexer.isValidIdentifier("ünï")).isTrue();
    assertThat(Lexer.isValidIdentifier("")).isFalse();
    assertThat(Lexer.isValidIdentifier("1st")).isFalse();
    assertThat(Lexer.isValidIdentifier("a-b")).isFalse();
    assertThat(Lexer.isValidIdentifier("a.b")).isFalse();
  }
}
