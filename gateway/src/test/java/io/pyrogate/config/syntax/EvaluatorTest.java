package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.golang.Strconv;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values are shown the way {@link Outline#value} prints them: Go-quoted strings, {@code ref(path)}
 * for references, {@code {"k": v}} for objects. Error and warning messages are checked in full,
 * with position.
 */
class EvaluatorTest {

  private static final Map<String, String> ENV =
      Map.of("HOME", "/root", "EMPTY", "", "PORT", "4040");
  private static final Evaluator EVALUATOR = new Evaluator(ENV::get, "gw-1");

  /** Evaluates an expression that must produce no diagnostic at all. */
  private static Value eval(String source) {
    Diagnostics diags = new Diagnostics();
    Value v = evalWith(source, diags);
    assertThat(diags.all()).as("diagnostics of " + source).isEmpty();
    return v;
  }

  private static Value evalWith(String source, Diagnostics diags) {
    Diagnostics parse = new Diagnostics();
    Expr expr = AlloyParser.parseExpression("expr", source, parse);
    assertThat(parse.all()).as("parse diagnostics of " + source).isEmpty();
    return EVALUATOR.evaluate(expr, diags);
  }

  private static String show(String source) {
    return Outline.value(eval(source));
  }

  /** All diagnostics of evaluating {@code source}, as printed. */
  private static String diagnostics(String source) {
    Diagnostics diags = new Diagnostics();
    evalWith(source, diags);
    return diags.toString().trim();
  }

  @Nested
  class Literals {
    @Test
    void scalars() {
      assertThat(eval("\"text\"")).isEqualTo(new StringValue("text", new Position("expr", 1, 1)));
      assertThat(eval("42")).isEqualTo(new NumberValue(42, new Position("expr", 1, 1)));
      assertThat(eval("1.5")).isEqualTo(new FloatValue(1.5, new Position("expr", 1, 1)));
      assertThat(eval("true")).isEqualTo(new BoolValue(true, new Position("expr", 1, 1)));
      assertThat(eval("null")).isEqualTo(new NullValue(new Position("expr", 1, 1)));
    }

    @Test
    void anIntegerTooLargeForALongIsAFloatAsInAlloy() {
      assertThat(eval("99999999999999999999")).isInstanceOf(FloatValue.class);
      assertThat(show("99999999999999999999")).isEqualTo("1e+20");
    }

    @Test
    void arraysAndObjectsKeepSourceOrder() {
      assertThat(show("[1, \"a\", [true], {}]")).isEqualTo("[1, \"a\", [true], {}]");
      Value v = eval("{z = 1, \"X-Scope-OrgID\" = \"t1\", a = [null]}");
      assertThat(((ObjectValue) v).fields().keySet()).containsExactly("z", "X-Scope-OrgID", "a");
      assertThat(Outline.value(v))
          .isEqualTo("{\"z\": 1, \"X-Scope-OrgID\": \"t1\", \"a\": [null]}");
    }

    @Test
    void objectValuesCannotBeChangedThroughTheirMap() {
      ObjectValue o = (ObjectValue) eval("{a = 1}");
      LinkedHashMap<String, Value> fields = o.fields();
      fields.put("b", new NullValue(o.position()));
      assertThat(o.fields()).containsOnlyKeys("a");
      assertThat(o.get("a")).isEqualTo(new NumberValue(1, new Position("expr", 1, 6)));
      assertThat(o.get("b")).isNull();
    }

    @Test
    void stringEscapesAreDecoded() {
      assertThat(eval("\"tab\\tquote\\\" nl\\n \\u00e9 \\xc3\\xa9 \\101 \\U0001F600\""))
          .extracting("value")
          .isEqualTo("tab\tquote\" nl\n é é A \uD83D\uDE00");
      assertThat(eval("`raw \\n ${x}`")).extracting("value").isEqualTo("raw \\n ${x}");
    }

    @Test
    void typeNames() {
      assertThat(eval("\"a\"").typeName()).isEqualTo("string");
      assertThat(eval("1").typeName()).isEqualTo("number");
      assertThat(eval("1.5").typeName()).isEqualTo("number");
      assertThat(eval("false").typeName()).isEqualTo("bool");
      assertThat(eval("null").typeName()).isEqualTo("null");
      assertThat(eval("[]").typeName()).isEqualTo("array");
      assertThat(eval("{}").typeName()).isEqualTo("object");
      assertThat(eval("a.b.c").typeName()).isEqualTo("reference");
    }
  }

  @Nested
  class Operators {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "1 + 2 => 3",
          "1 + 2 * 3 => 7",
          "(1 + 2) * 3 => 9",
          "10 - 2 - 3 => 5",
          "7 / 2 => 3",
          "7.0 / 2 => 3.5",
          "7 % 3 => 1",
          "-7 % 3 => -1",
          "7.5 % 2 => 1.5",
          "2 ^ 10 => 1024",
          "2 ^ 3 ^ 2 => 512",
          "-2 ^ 2 => 4",
          "2 ^ -1 => 0.5",
          "2 ^ 0.5 * 2 ^ 0.5 => 2.0000000000000004",
          "1 + 0.5 => 1.5",
          "- - 3 => 3",
          "9223372036854775807 + 1 => -9223372036854775808",
          "\"a\" + \"b\" => \"ab\"",
          "1 < 2 => true",
          "2 <= 2 => true",
          "3 > 4 => false",
          "1.5 >= 1 => true",
          "\"abc\" < \"abd\" => true",
          "\"\uFF61\" < \"\uD83D\uDE00\" => true",
          "\"b\" > \"a\" => true",
          "3 == 3.0 => true",
          "\"1\" == 1 => false",
          "null == null => true",
          "null != false => true",
          "[1, [2]] == [1, [2]] => true",
          "[1, 2] == [2, 1] => false",
          "{a = 1, b = 2} == {b = 2, a = 1} => true",
          "{a = 1} == {a = 2} => false",
          "true && false => false",
          "true || false => true",
          "!true => false",
          "!!true => true",
          "1 < 2 && 2 < 3 || false => true",
          "1 + 1 == 2 && !false => true",
        })
    void evaluate(String expression, String expected) {
      assertThat(show(expression)).isEqualTo(expected);
    }

    @Test
    void typeErrorsNameBothTypesAndPointAtTheOperandWithTheWrongType() {
      assertThat(diagnostics("\"port: \" + 4040"))
          .isEqualTo(
              "expr:1:12: error: cannot add string and number ('+' needs two numbers or two strings)");
      assertThat(diagnostics("[1] + [2]"))
          .isEqualTo(
              "expr:1:1: error: cannot add array and array ('+' needs two numbers or two strings)");
      assertThat(diagnostics("1 * \"2\""))
          .isEqualTo("expr:1:5: error: operator '*' needs two numbers, got number and string");
      assertThat(diagnostics("1 / (2 - 2)")).isEqualTo("expr:1:5: error: division by zero");
      assertThat(diagnostics("null < 1"))
          .isEqualTo(
              "expr:1:1: error: cannot compare null and number with '<' (both operands must be numbers or both strings)");
      assertThat(diagnostics("false || \"yes\""))
          .isEqualTo("expr:1:10: error: operator '||' needs two bools, got a string");
    }

    @Test
    void anErrorIsReportedOnceAndTheWholeExpressionIsAnErrorValue() {
      Diagnostics diags = new Diagnostics();
      Value v = evalWith("[(\"a\" + 1) * 2, 3]", diags);
      assertThat(v).isEqualTo(new ErrorValue(new Position("expr", 1, 1)));
      assertThat(diags.all()).hasSize(1);
    }
  }

  @Nested
  class IndexingAndAccess {
    @Test
    void arraysObjectsAndNesting() {
      assertThat(show("[10, 20, 30][1]")).isEqualTo("20");
      assertThat(show("[10, 20][1.0]")).isEqualTo("20");
      assertThat(show("{a = {b = [\"x\"]}}.a.b[0]")).isEqualTo("\"x\"");
      assertThat(show("{\"X-Scope-OrgID\" = \"t1\"}[\"X-Scope-OrgID\"]")).isEqualTo("\"t1\"");
    }

    @Test
    void aMissingKeyIsNullWithBracketsAndAnErrorWithADot() {
      assertThat(show("{a = 1}[\"b\"]")).isEqualTo("null");
      assertThat(diagnostics("{a = 1}.b"))
          .isEqualTo("expr:1:1: error: field \"b\" does not exist in the object");
    }

    @Test
    void aValueTakesThePositionOfTheExpressionThatProducedIt() {
      assertThat(eval("  {a = 1}.a").position()).isEqualTo(new Position("expr", 1, 3));
      assertThat(eval("coalesce(\"\", \"x\")").position()).isEqualTo(new Position("expr", 1, 1));
      assertThat(eval("[1, 2]").position()).isEqualTo(new Position("expr", 1, 1));
      assertThat(((ArrayValue) eval("[1, 2]")).elements().get(1).position())
          .isEqualTo(new Position("expr", 1, 5));
    }

    @Test
    void errors() {
      assertThat(diagnostics("[1][-1]"))
          .isEqualTo("expr:1:5: error: index -1 is out of range for an array of length 1");
      assertThat(diagnostics("[1][0.5]"))
          .isEqualTo("expr:1:5: error: an array index must be a whole number, got 0.5");
      assertThat(diagnostics("true[0]"))
          .isEqualTo(
              "expr:1:1: error: cannot index a bool; only arrays and objects can be indexed");
      assertThat(diagnostics("\"s\".length"))
          .isEqualTo("expr:1:1: error: cannot access field \"length\" of a string");
    }
  }

  @Nested
  class References {
    @Test
    void identifierChainsAreReferences() {
      assertThat(eval("pyroscope.write.staging.receiver"))
          .isEqualTo(
              new ReferenceValue("pyroscope.write.staging.receiver", new Position("expr", 1, 1)));
      assertThat(show("local.file.token.content")).isEqualTo("ref(local.file.token.content)");
      assertThat(show("argument.foo.value")).isEqualTo("ref(argument.foo.value)");
    }

    @Test
    void indexingIsPartOfTheReference() {
      assertThat(show("remote.kubernetes.secret.creds.data[\"profiles_url\"]"))
          .isEqualTo("ref(remote.kubernetes.secret.creds.data[\"profiles_url\"])");
      assertThat(show("discovery.docker.all.targets[0].labels"))
          .isEqualTo("ref(discovery.docker.all.targets[0].labels)");
      assertThat(show("(pyroscope.write.a).receiver")).isEqualTo("ref(pyroscope.write.a.receiver)");
      assertThat(show("a.b.c[string.to_upper(\"k\")]")).isEqualTo("ref(a.b.c[\"K\"])");
    }

    @Test
    void arraysAndObjectsHoldReferencesAsElements() {
      assertThat(show("[pyroscope.write.a.receiver, pyroscope.write.b.receiver]"))
          .isEqualTo("[ref(pyroscope.write.a.receiver), ref(pyroscope.write.b.receiver)]");
      assertThat(show("{url = local.file.u.content}"))
          .isEqualTo("{\"url\": ref(local.file.u.content)}");
      assertThat(show("array.concat([pyroscope.write.a.receiver], [pyroscope.write.b.receiver])"))
          .isEqualTo("[ref(pyroscope.write.a.receiver), ref(pyroscope.write.b.receiver)]");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "convert.nonsensitive(remote.kubernetes.secret.creds.data[\"url\"]) => ref(remote.kubernetes.secret.creds.data[\"url\"])",
          "\"http://\" + local.file.host.content => ref(local.file.host.content)",
          "local.file.a.content + local.file.b.content => ref(local.file.a.content)",
          "1 + (2 * local.file.n.content) => ref(local.file.n.content)",
          "!local.file.flag.content => ref(local.file.flag.content)",
          "-local.file.n.content => ref(local.file.n.content)",
          "local.file.a.content == \"x\" => ref(local.file.a.content)",
          "[local.file.a.content] == [1] => ref(local.file.a.content)",
          "string.format(\"%s:%d\", local.file.h.content, 80) => ref(local.file.h.content)",
          "string.join([\"a\", local.file.b.content], \",\") => ref(local.file.b.content)",
          "string.to_upper(string.trim_space(local.file.c.content)) => ref(local.file.c.content)",
          "sys.env(local.file.name.content) => ref(local.file.name.content)",
          "encoding.from_json(local.file.j.content).key => ref(local.file.j.content.key)",
          "{a = 1}[local.file.k.content] => ref(local.file.k.content)",
          "array.concat(discovery.a.b.targets, [1]) => ref(discovery.a.b.targets)",
          "coalesce(\"\", local.file.x.content) => ref(local.file.x.content)",
          "coalesce(local.file.x.content, \"fallback\") => ref(local.file.x.content)",
          "coalesce(\"set\", local.file.x.content) => \"set\"",
        })
    void operationsOnAReferenceYieldTheFirstReferenceInvolved(String expression, String expected) {
      assertThat(show(expression)).isEqualTo(expected);
    }

    @Test
    void theResultingReferenceCarriesThePositionOfTheWholeExpression() {
      assertThat(eval("\"x\" + a.b.c"))
          .isEqualTo(new ReferenceValue("a.b.c", new Position("expr", 1, 1)));
    }

    @Test
    void anErrorWinsOverAReference() {
      Diagnostics diags = new Diagnostics();
      assertThat(evalWith("local.file.a.content + (\"a\" + 1)", diags))
          .isInstanceOf(ErrorValue.class);
      assertThat(diags.errors()).hasSize(1);
    }

    @Test
    void aSingleUnknownIdentifierIsNotAReference() {
      assertThat(diagnostics("info"))
          .isEqualTo(
              "expr:1:1: error: identifier \"info\" does not exist (if you meant the text \"info\", quote it)");
    }

    @Test
    void callingAReferenceIsAnUnknownFunction() {
      assertThat(diagnostics("pyroscope.write.a.receiver(1)"))
          .isEqualTo("expr:1:1: error: unknown function pyroscope.write.a.receiver");
    }
  }

  @Nested
  class Stdlib {
    @Test
    void environment() {
      assertThat(show("sys.env(\"HOME\")")).isEqualTo("\"/root\"");
      assertThat(show("sys.env(\"NOT_SET\")")).isEqualTo("\"\"");
      assertThat(show("sys.env(\"EMPTY\")")).isEqualTo("\"\"");
      assertThat(show("sys.env(\"PO\" + \"RT\")")).isEqualTo("\"4040\"");
    }

    @Test
    void deprecatedEnvWorksWithAWarning() {
      Diagnostics diags = new Diagnostics();
      Value v = evalWith("env(\"HOME\")", diags);
      assertThat(Outline.value(v)).isEqualTo("\"/root\"");
      assertThat(diags.toString().trim())
          .isEqualTo("expr:1:1: warning: env is deprecated; use sys.env instead");
      assertThat(diags.hasErrors()).isFalse();
    }

    @Test
    void theEnvironmentFunctionIsOptional() {
      Diagnostics diags = new Diagnostics();
      Value v =
          new Evaluator(null, null)
              .evaluate(
                  AlloyParser.parseExpression("e", "sys.env(\"HOME\") + constants.hostname", diags),
                  diags);
      assertThat(Outline.value(v)).isEqualTo("\"\"");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "coalesce() => null",
          "coalesce(\"Hello!\") => \"Hello!\"",
          "coalesce(sys.env(\"HOME\"), \"World!\") => \"/root\"",
          "coalesce(sys.env(\"NOT_SET\"), \"World!\") => \"World!\"",
          "coalesce([], [\"fallback\"]) => [\"fallback\"]",
          "coalesce(0, 1, 2) => 1",
          "coalesce(0.0, 2.5) => 2.5",
          "coalesce(false, 1, 2) => 1",
          "coalesce(false, true) => true",
          "coalesce({}, {a = 1}) => {\"a\": 1}",
          "coalesce(null, \"\", \"x\") => \"x\"",
          "coalesce(\"\", 0) => 0",
          "coalesce([], null) => null",
          "coalesce(encoding.from_json(\"{}\"), false) => false",
        })
    void coalesceReturnsTheFirstNonEmptyArgumentElseTheLast(String expression, String expected) {
      assertThat(show(expression)).isEqualTo(expected);
    }

    @Test
    void constants() {
      assertThat(show("constants.hostname")).isEqualTo("\"gw-1\"");
      assertThat(show("constants.os"))
          .isEqualTo(Strconv.quote(Constants.goOs(System.getProperty("os.name"))));
      assertThat(show("constants.arch"))
          .isEqualTo(Strconv.quote(Constants.goArch(System.getProperty("os.arch"))));
      assertThat(((StringValue) eval("constants.version")).value()).matches("v.+|unknown");
      assertThat(show("constants")).startsWith("{\"hostname\": \"gw-1\", \"os\": ");
      if (System.getProperty("os.name").equals("Linux")) {
        assertThat(show("constants.os")).isEqualTo("\"linux\"");
      }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "Linux, linux",
      "Mac OS X, darwin",
      "Windows 11, windows",
      "FreeBSD, freebsd",
      "SunOS, solaris",
      "AIX, aix"
    })
    void goOperatingSystemNames(String javaName, String goName) {
      assertThat(Constants.goOs(javaName)).isEqualTo(goName);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "amd64, amd64",
      "x86_64, amd64",
      "aarch64, arm64",
      "x86, 386",
      "i686, 386",
      "ppc64le, ppc64le",
      "s390x, s390x",
      "riscv64, riscv64",
      "arm, arm",
      "armv7l, arm"
    })
    void goArchitectureNames(String javaName, String goName) {
      assertThat(Constants.goArch(javaName)).isEqualTo(goName);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "1.4.0, v1.4.0",
      "v2.0.0, v2.0.0",
      "1.0-SNAPSHOT, v1.0-SNAPSHOT",
      "dev, unknown",
      "'${project.version}', unknown"
    })
    void versionIsTheBuildsAsAlloyShowsItsOwn(String build, String shown) {
      assertThat(Constants.alloyVersion(build)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "convert.nonsensitive(\"secret\") => \"secret\"",
          "string.to_lower(\"String\") => \"string\"",
          "string.to_upper(\"string\") => \"STRING\"",
          "string.to_upper(\"straße\") => \"STRAßE\"",
          "string.to_lower(\"İSTANBUL\") => \"istanbul\"",
          "string.trim_space(\"   string \\n\\n\") => \"string\"",
          "string.trim_space(\"\\u00a0\\u2003x\\u0085\") => \"x\"",
          "string.to_lower(string.to_upper(string.trim_space(\"   String   \"))) => \"string\"",
          "string.split(\"/aaa/bbb/ccc/ddd\", \"/\") => [\"\", \"aaa\", \"bbb\", \"ccc\", \"ddd\"]",
          "string.split(\"a,b,\", \",\") => [\"a\", \"b\", \"\"]",
          "string.split(\"abc\", \"\") => [\"a\", \"b\", \"c\"]",
          "string.split(\"\", \",\") => [\"\"]",
          "string.split(\"a.b\", \".\") => [\"a\", \"b\"]",
          "string.split(\"/aaa/bbb/ccc/ddd\", \"/\")[0] => \"\"",
          "string.join(string.split(\"/aaa/bbb/ccc/ddd\", \"/\"), \"/\") => \"/aaa/bbb/ccc/ddd\"",
          "string.join([\"foo\", \"bar\", \"baz\"], \", \") => \"foo, bar, baz\"",
          "string.join([0, 0, 1], \", \") => \"0, 0, 1\"",
          "string.join([1e21, 1.5e-7, -0.5], \",\") => \"1000000000000000000000,0.00000015,-0.5\"",
          "string.join([], \",\") => \"\"",
          "string.replace(\"Hello World\", \" World\", \"!\") => \"Hello!\"",
          "string.replace(\"a.b.c\", \".\", \"\") => \"abc\"",
          "string.replace(\"ab\", \"\", \"-\") => \"-a-b-\"",
          "string.trim(\"?!hello?!\", \"!?\") => \"hello\"",
          "string.trim(\"   hello! world.!  \", \"! \") => \"hello! world.\"",
          "string.trim_prefix(\"helloworld\", \"hello\") => \"world\"",
          "string.trim_prefix(\"helloworld\", \"world\") => \"helloworld\"",
          "string.trim_suffix(\"helloworld\", \"world\") => \"hello\"",
          "encoding.to_base64(\"string123!?$*&()'-=@~\") => \"c3RyaW5nMTIzIT8kKiYoKSctPUB+\"",
          "encoding.from_base64(\"Zm9vYmFyMTIzIT8kKiYoKSctPUB+\") => \"foobar123!?$*&()'-=@~\"",
          "encoding.from_base64(\"Zm9v\\nYmFy\") => \"foobar\"",
          "encoding.to_URLbase64(\"string123!?$*&()'-=@~\") => \"c3RyaW5nMTIzIT8kKiYoKSctPUB-\"",
          "encoding.from_URLbase64(\"c3RyaW5nMTIzIT8kKiYoKSctPUB-\") => \"string123!?$*&()'-=@~\"",
          "encoding.url_encode(\"a b&c=d/é~\") => \"a+b%26c%3Dd%2F%C3%A9~\"",
          "encoding.url_decode(\"a+b%26c%3Dd%2F%C3%A9\") => \"a b&c=d/é\"",
          "encoding.from_json(\"{\\\"foo\\\": \\\"bar\\\", \\\"n\\\": [0, 1.5, null, true]}\") => {\"foo\": \"bar\", \"n\": [0, 1.5, null, true]}",
          "encoding.from_json(\"\\\"\\\\u00e9\\\"\") => \"é\"",
          "encoding.to_json({b = [1, 2.5, true, null], a = \"<x>\"}) => \"{\\\"a\\\":\\\"\\\\u003cx\\\\u003e\\\",\\\"b\\\":[1,2.5,true,null]}\"",
          "encoding.to_json({\"\uD83D\uDE00\" = 1, \"\uFF61\" = 2}) => \"{\\\"\uFF61\\\":2,\\\"\uD83D\uDE00\\\":1}\"",
          "array.concat([true, \"foo\"], [], [false, 1]) => [true, \"foo\", false, 1]",
          "array.concat() => []",
          "file.path_join(\"this/is\", \"a/path\") => \"this/is/a/path\"",
          "file.path_join() => \"\"",
          "file.path_join(\"/etc/../var\", \"\", \"./log/\") => \"/var/log\"",
          "file.path_join(\"..\", \"a\", \"..\", \"..\") => \"../..\"",
        })
    void functions(String expression, String expected) {
      assertThat(show(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "to_lower(\"String\") => \"string\" => to_lower is deprecated; use string.to_lower instead",
          "to_upper(\"string\") => \"STRING\" => to_upper is deprecated; use string.to_upper instead",
          "trim_space(\" s \") => \"s\" => trim_space is deprecated; use string.trim_space instead",
          "split(\"a/b\", \"/\") => [\"a\", \"b\"] => split is deprecated; use string.split instead",
          "join([\"a\", \"b\"], \"-\") => \"a-b\" => join is deprecated; use string.join instead",
          "format(\"Hello %s\", \"World\") => \"Hello World\" => format is deprecated; use string.format instead",
          "replace(\"Hello World\", \" World\", \"!\") => \"Hello!\" => replace is deprecated; use string.replace instead",
          "trim(\"?!hello?!\", \"!?\") => \"hello\" => trim is deprecated; use string.trim instead",
          "trim_prefix(\"helloworld\", \"hello\") => \"world\" => trim_prefix is deprecated; use string.trim_prefix instead",
          "trim_suffix(\"helloworld\", \"world\") => \"hello\" => trim_suffix is deprecated; use string.trim_suffix instead",
          "nonsensitive(\"s\") => \"s\" => nonsensitive is deprecated; use convert.nonsensitive instead",
          "concat([1], [2]) => [1, 2] => concat is deprecated; use array.concat instead",
          "base64_decode(\"Zm9v\") => \"foo\" => base64_decode is deprecated; use encoding.from_base64 instead",
          "json_decode(\"[1]\") => [1] => json_decode is deprecated; use encoding.from_json instead",
          "env(\"HOME\") => \"/root\" => env is deprecated; use sys.env instead",
        })
    void deprecatedBareNamesStillWorkWithAWarning(
        String expression, String expected, String warning) {
      Diagnostics diags = new Diagnostics();
      assertThat(Outline.value(evalWith(expression, diags))).isEqualTo(expected);
      assertThat(diags.all())
          .extracting(Diagnostic::toString)
          .containsExactly("expr:1:1: warning: " + warning);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiterString = "=>",
        value = {
          "string.format(\"Hello %s\", \"World\") => Hello World",
          "string.format(\"%s:%d\", \"host\", 4040) => host:4040",
          "string.format(\"%v %v %v %v\", \"s\", 1, true, null) => s 1 true <nil>",
          "string.format(\"%q\", \"hello\") => \"hello\"",
          "string.format(\"%q\", \"tab\\there\") => \"tab\\there\"",
          "string.format(\"%#v\", 1) => 1",
          "string.format(\"%#v\", true) => true",
          "string.format(\"%#v\", \"x\") => \"x\"",
          "string.format(\"%5d|%-5d|%05d\", 42, 42, -42) => '   42|42   |-0042'",
          "string.format(\"%+d %x %X %o %b\", 5, 255, 255, 8, 5) => +5 ff FF 10 101",
          "string.format(\"%#x %#o\", 255, 8) => 0xff 010",
          "string.format(\"%6.2f|%.0f|%e|%g\", 3.14159, 2.5, 123456.789, 0.00001234) => '  3.14|2|1.234568e+05|1.234e-05'",
          "string.format(\"%v %v %v %v\", 1.5, 1000000.0, 100000.0, 0.0001) => 1.5 1e+06 100000 0.0001",
          "string.format(\"%f\", 1) => %!f(int=1)",
          "string.format(\"%.3s|%8s|%-8s|\", \"abcdef\", \"ab\", \"ab\") => 'abc|      ab|ab      |'",
          "string.format(\"%x\", \"hi\") => 6869",
          "string.format(\"%t %v\", false, [1, \"a\"]) => false [1 a]",
          "string.format(\"%q\", [\"a\", \"b\"]) => [\"a\" \"b\"]",
          "string.format(\"%v\", {b = 2, a = \"x\"}) => map[a:x b:2]",
          "string.format(\"%v\", {\"\uD83D\uDE00\" = 1, \"\uFF61\" = 2}) => map[\uFF61:2 \uD83D\uDE00:1]", // Go sorts keys by bytes
          "string.format(\"%c%c %U\", 72, 105, 233) => Hi U+00E9",
          "string.format(\"100%%\") => 100%",
          "string.format(\"%s\", 12) => %!s(int=12)",
        })
    void formatFollowsGoFmt(String expression, String expected) {
      Diagnostics diags = new Diagnostics();
      Value v = evalWith(expression, diags);
      assertThat(((StringValue) v).value()).isEqualTo(expected);
      assertThat(diags.errors()).isEmpty();
    }

    @Test
    void formatMisuseIsVisibleInTheTextAndAsAWarning() {
      Diagnostics diags = new Diagnostics();
      Value v = evalWith("string.format(\"%d and %s\", \"x\")", diags);
      assertThat(((StringValue) v).value()).isEqualTo("%!d(string=x) and %!s(MISSING)");
      assertThat(diags.all())
          .extracting(Diagnostic::toString)
          .containsExactly(
              "expr:1:1: warning: string.format: %d cannot format a string",
              "expr:1:1: warning: string.format: missing argument for %s");

      diags = new Diagnostics();
      v = evalWith("string.format(\"x\", 1, \"y\")", diags);
      assertThat(((StringValue) v).value()).isEqualTo("x%!(EXTRA int=1, string=y)");
      assertThat(diags.all())
          .extracting(Diagnostic::toString)
          .containsExactly(
              "expr:1:1: warning: string.format: 2 extra arguments not used by the format");
    }

    @Test
    void unknownAndUnsupportedFunctions() {
      assertThat(diagnostics("string.nope(\"x\")"))
          .isEqualTo("expr:1:1: error: unknown function string.nope");
      assertThat(diagnostics("nope()")).isEqualTo("expr:1:1: error: unknown function nope");
      assertThat(diagnostics("json_path(\"{}\", \".a\")"))
          .isEqualTo(
              "expr:1:1: error: function json_path (JSONPath queries) is not supported by pyrogate");
      assertThat(diagnostics("string.format"))
          .isEqualTo(
              "expr:1:1: error: string.format is a function and must be called, e.g. string.format(...)");
    }

    @Test
    void argumentErrorsPointAtTheArgument() {
      assertThat(diagnostics("string.to_upper(\"a\", \"b\")"))
          .isEqualTo("expr:1:1: error: string.to_upper expects 1 argument, got 2");
      assertThat(diagnostics("string.trim_prefix(\"a\", [1])"))
          .isEqualTo("expr:1:25: error: [1] should be string, got array");
      assertThat(diagnostics("array.concat([1], \"b\")"))
          .isEqualTo("expr:1:19: error: \"b\" should be array, got string");
      assertThat(diagnostics("string.join([\"a\", true], \",\")"))
          .isEqualTo("expr:1:19: error: true should be string, got bool");
      assertThat(diagnostics("string.join(coalesce([], [true]), \",\")"))
          .isEqualTo("expr:1:13: error: coalesce([], [true])[0] should be string, got bool");
      assertThat(diagnostics("convert.nonsensitive(42)"))
          .as("Alloy's takes a secret, which a number does not convert to")
          .isEqualTo("expr:1:22: error: 42 should be capsule, got number");
      assertThat(diagnostics("sys.env(1e21) + string.to_upper(0.5)"))
          .as("no diagnostic: numbers convert as Alloy formats them")
          .isEmpty();
      assertThat(diagnostics("encoding.from_json(\"[1,]\")"))
          .isEqualTo(
              "expr:1:20: error: encoding.from_json: invalid JSON: unexpected ']' at offset 3");
    }
  }

  @Test
  void aBadExpressionFromTheParserIsAnErrorValueWithoutANewDiagnostic() {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("f", "x = \ny = [1, ]\n", diags);
    assertThat(diags.all()).hasSize(1);
    Expr bad = ((Attribute) body.statements().get(0)).value();
    assertThat(bad).isInstanceOf(BadExpr.class);
    Diagnostics evalDiags = new Diagnostics();
    assertThat(EVALUATOR.evaluate(bad, evalDiags)).isEqualTo(new ErrorValue(bad.position()));
    assertThat(evalDiags.all()).isEmpty();
  }
}
