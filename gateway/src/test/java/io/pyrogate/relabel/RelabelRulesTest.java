package io.pyrogate.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.relabel.RelabelRule.Action;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of Alloy's {@code internal/component/common/relabel/relabel_test.go} {@code
 * TestRelabel} (copied there from Prometheus' {@code model/relabel/relabel_test.go}) and of Alloy's
 * {@code internal/component/pyroscope/relabel/relabel_test.go} {@code TestRelabeling}, each with
 * the outcome those tests expect.
 */
class RelabelRulesTest {
  private static final Map<String, String> DROPPED = null;

  static Stream<Arguments> alloysCases() {
    return Stream.of(
        of(
            "replace with ${1} twice",
            Map.of("a", "foo", "b", "bar", "c", "baz"),
            List.of(rule(Action.REPLACE, List.of("a"), "f(.*)", "d", "ch${1}-ch${1}")),
            Map.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo")),
        of(
            "two replaces, the second reading the first's result",
            Map.of("a", "foo", "b", "bar", "c", "baz"),
            List.of(
                rule(Action.REPLACE, List.of("a", "b"), "f(.*);(.*)r", "a", "b${1}${2}m"),
                rule(Action.REPLACE, List.of("c", "a"), "(b).*b(.*)ba(.*)", "d", "$1$2$2$3")),
            Map.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom")),
        of(
            "drop before a replace",
            Map.of("a", "foo"),
            List.of(
                rule(Action.DROP, List.of("a"), ".*o.*", "", "$1"),
                rule(Action.REPLACE, List.of("a"), "f(.*)", "d", "ch$1-ch$1")),
            DROPPED),
        of(
            "drop on a match",
            Map.of("a", "foo", "b", "bar"),
            List.of(rule(Action.DROP, List.of("a"), ".*o.*", "", "$1")),
            DROPPED),
        of(
            "replace with a group inside the match",
            Map.of("a", "abc"),
            List.of(rule(Action.REPLACE, List.of("a"), ".*(b).*", "d", "$1")),
            Map.of("a", "abc", "d", "b")),
        of(
            "drop without a match keeps",
            Map.of("a", "foo"),
            List.of(rule(Action.DROP, List.of("a"), "no-match", "", "$1")),
            Map.of("a", "foo")),
        of(
            "the regex is anchored: f|o does not match foo",
            Map.of("a", "foo"),
            List.of(rule(Action.DROP, List.of("a"), "f|o", "", "$1")),
            Map.of("a", "foo")),
        of(
            "keep without a match drops",
            Map.of("a", "foo"),
            List.of(rule(Action.KEEP, List.of("a"), "no-match", "", "$1")),
            DROPPED),
        of(
            "keep on a match",
            Map.of("a", "foo"),
            List.of(rule(Action.KEEP, List.of("a"), "f.*", "", "$1")),
            Map.of("a", "foo")),
        of(
            "no replacement without a match",
            Map.of("a", "boo"),
            List.of(rule(Action.REPLACE, List.of("a"), "f", "b", "bar")),
            Map.of("a", "boo")),
        of(
            "a blank replacement deletes the target",
            Map.of("a", "foo", "f", "baz"),
            List.of(rule(Action.REPLACE, List.of("a"), "(f).*", "$1", "$2")),
            Map.of("a", "foo")),
        of(
            "hashmod 1000 of baz",
            Map.of("a", "foo", "b", "bar", "c", "baz"),
            List.of(hashmod(List.of("c"), "d", 1000)),
            Map.of("a", "foo", "b", "bar", "c", "baz", "d", "976")),
        of(
            "hashmod 1000 of a value with a newline",
            Map.of("a", "foo\nbar"),
            List.of(hashmod(List.of("a"), "b", 1000)),
            Map.of("a", "foo\nbar", "b", "734")),
        of(
            "labelmap with a prefix",
            Map.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule(Action.LABELMAP, null, "(b.*)", "", "bar_${1}")),
            Map.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz")),
        of(
            "labelmap of meta labels",
            Map.of(
                "a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
            List.of(rule(Action.LABELMAP, null, "__meta_(my.*)", "", "${1}")),
            Map.of(
                "a", "foo",
                "__meta_my_bar", "aaa",
                "__meta_my_baz", "bbb",
                "__meta_other", "ccc",
                "my_bar", "aaa",
                "my_baz", "bbb")),
        of(
            "target and value from groups",
            Map.of("a", "some-name-value"),
            List.of(rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${2}")),
            Map.of("a", "some-name-value", "name", "value")),
        of(
            "a replacement from a missing group is empty: nothing to set",
            Map.of("a", "some-name-value"),
            List.of(rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${3}")),
            Map.of("a", "some-name-value")),
        of(
            "an empty computed target is not a label name: no change",
            Map.of("a", "some-name-0"),
            List.of(
                rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                rule(Action.REPLACE, List.of("a"), "some-([^-]+)(-[^,]+)", "${3}", "${1}")),
            Map.of("a", "some-name-0")),
        of(
            "tags parsed into labels",
            Map.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
            List.of(
                rule(
                    Action.REPLACE,
                    List.of("__meta_sd_tags"),
                    "(?:.+,|^)path:(/[^,]+).*",
                    "__metrics_path__",
                    "${1}"),
                rule(
                    Action.REPLACE,
                    List.of("__meta_sd_tags"),
                    "(?:.+,|^)job:([^,]+).*",
                    "job",
                    "${1}"),
                rule(
                    Action.REPLACE,
                    List.of("__meta_sd_tags"),
                    "(?:.+,|^)label:([^=]+)=([^,]+).*",
                    "${1}",
                    "${2}")),
            Map.of(
                "__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar",
                "__metrics_path__", "/secret",
                "job", "some-job",
                "foo", "bar")),
        of(
            "prometheus#12283: a label dropped then set again is read by a later rule",
            Map.of(
                "__meta_kubernetes_pod_container_port_name", "foo",
                "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
            List.of(
                rule(
                    Action.LABELDROP,
                    null,
                    "^__meta_kubernetes_pod_container_port_name$",
                    "",
                    "$1"),
                rule(
                    Action.REPLACE,
                    List.of("__meta_kubernetes_pod_annotation_XXX_metrics_port"),
                    "(.+)",
                    "__meta_kubernetes_pod_container_port_name",
                    "metrics"),
                rule(
                    Action.KEEP,
                    List.of("__meta_kubernetes_pod_container_port_name"),
                    "^metrics$",
                    "",
                    "$1")),
            Map.of(
                "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091",
                "__meta_kubernetes_pod_container_port_name", "metrics")),
        of(
            "labelkeep",
            Map.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule(Action.LABELKEEP, null, "(b.*)", "", "$1")),
            Map.of("b1", "bar", "b2", "baz")),
        of(
            "labeldrop",
            Map.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule(Action.LABELDROP, null, "(b.*)", "", "$1")),
            Map.of("a", "foo")),
        of(
            "uppercase and lowercase",
            Map.of("foo", "bAr123Foo"),
            List.of(
                rule(Action.UPPERCASE, List.of("foo"), "(.*)", "foo_uppercase", "$1"),
                rule(Action.LOWERCASE, List.of("foo"), "(.*)", "foo_lowercase", "$1")),
            Map.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO")),
        of(
            "keepequal on equal values keeps",
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678"),
            List.of(rule(Action.KEEPEQUAL, List.of("__tmp_port"), "(.*)", "__port1", "$1")),
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678")),
        of(
            "dropequal on equal values drops",
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678"),
            List.of(rule(Action.DROPEQUAL, List.of("__tmp_port"), "(.*)", "__port1", "$1")),
            DROPPED),
        of(
            "dropequal on different values keeps",
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678"),
            List.of(rule(Action.DROPEQUAL, List.of("__tmp_port"), "(.*)", "__port2", "$1")),
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678")),
        of(
            "keepequal on different values drops",
            Map.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678"),
            List.of(rule(Action.KEEPEQUAL, List.of("__tmp_port"), "(.*)", "__port2", "$1")),
            DROPPED),
        // Alloy's internal/component/pyroscope/relabel/relabel_test.go TestRelabeling
        of(
            "pyroscope: rename label",
            Map.of("foo", "hello"),
            List.of(
                rule(Action.REPLACE, List.of("foo"), "(.+)", "bar", "$1"),
                rule(Action.LABELDROP, null, "foo", "", "$1")),
            Map.of("bar", "hello")),
        of(
            "pyroscope: drop profile with matching drop label",
            Map.of("env", "dev", "region", "us-1"),
            List.of(rule(Action.DROP, List.of("env"), "dev", "", "$1")),
            DROPPED),
        of(
            "pyroscope: keep profile with matching label",
            Map.of("env", "prod", "region", "us-1"),
            List.of(rule(Action.KEEP, List.of("env"), "prod", "", "$1")),
            Map.of("env", "prod", "region", "us-1")),
        of(
            "pyroscope: drop profile not matching keep",
            Map.of("env", "dev", "region", "us-1"),
            List.of(rule(Action.KEEP, List.of("env"), "prod", "", "$1")),
            DROPPED),
        of(
            "pyroscope: drop all labels (no labels left; the receiver drops such a profile)",
            Map.of("env", "prod", "region", "us-1"),
            List.of(rule(Action.LABELDROP, null, "env|region", "", "$1")),
            Map.of()),
        of(
            "pyroscope: hashmod sampling drops env=prod (its hash mod 2 is 1)",
            Map.of("env", "prod", "region", "us-1"),
            List.of(
                hashmod(List.of("env"), "__tmp_hash", 2),
                rule(Action.DROP, List.of("__tmp_hash"), "^1$", "", "$1")),
            DROPPED),
        of(
            "pyroscope: multiple rules",
            Map.of("env", "prod", "region", "us-1"),
            List.of(
                rule(Action.REPLACE, List.of("env"), "(.+)", "environment", "$1"),
                rule(Action.LABELDROP, null, "^env$", "", "$1"),
                rule(Action.REPLACE, List.of("region"), "us-(.+)", "zone", "zone-$1")),
            Map.of("environment", "prod", "region", "us-1", "zone", "zone-1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alloysCases")
  void outcomeIsAlloys(
      String name,
      Map<String, String> input,
      List<RelabelRule> rules,
      Map<String, String> expected) {
    for (RelabelRule r : rules) {
      assertThat(RuleCheck.problem(r)).as("rule %s is valid", r).isNull();
    }
    Map<String, String> out = RelabelRules.of(rules).process(input);
    if (expected == DROPPED) {
      assertThat(out).as("dropped").isNull();
    } else {
      assertThat(out).isEqualTo(expected);
    }
  }

  static Stream<Arguments> goTemplates() {
    return Stream.of(
        Arguments.of("$1", "b"),
        Arguments.of("${1}", "b"),
        Arguments.of("$1x", ""), // $1x is ${1x}: no such group
        Arguments.of("${1}x", "bx"),
        Arguments.of("$$1", "$1"),
        Arguments.of("$", "$"),
        Arguments.of("${1", "${1"),
        Arguments.of("$-", "$-"),
        Arguments.of("$01", ""), // a leading zero is no number: a name, and none has it
        Arguments.of("${name}", "c"),
        Arguments.of("$name.", "c."),
        Arguments.of("$2", ""), // a group that did not take part
        Arguments.of("$10", ""));
  }

  /** Go's Regexp.Expand on a match of {@code (a)(b)?(?P<name>c)} ... as documented in Go. */
  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("goTemplates")
  void templatesExpandAsGo(String template, String expected) {
    RelabelRegex re = RelabelRegex.compile("a(b)(x)?(?P<name>c)");
    assertThat(re.expand(template, "abc")).isEqualTo(expected);
  }

  @Test
  void regexIsRe2AndAnchoredWithDotMatchingNewlines() {
    assertThat(RelabelRegex.compile("a.b").matches("a\nb")).isTrue();
    assertThat(RelabelRegex.compile("b").matches("abc")).isFalse();
    assertThat(RelabelRegex.compile("a|ab").expand("$0", "ab")).isEqualTo("ab");
    assertThat(RelabelRegex.compile("\\pL+").matches("héllo")).isTrue();
  }

  @Test
  void regexErrorsAreGos() {
    assertThatThrownBy(() -> RelabelRegex.compile("(abc"))
        .hasMessage("error parsing regexp: missing closing ): `^(?s:(abc)$`");
  }

  private static Arguments of(
      String name,
      Map<String, String> input,
      List<RelabelRule> rules,
      Map<String, String> expected) {
    return Arguments.of(name, input, rules, expected);
  }

  static RelabelRule rule(
      Action action, List<String> sources, String regex, String target, String replacement) {
    return new RelabelRule(sources, ";", regex, 0, target, replacement, action);
  }

  static RelabelRule hashmod(List<String> sources, String target, long modulus) {
    return new RelabelRule(sources, ";", "(.*)", modulus, target, "$1", Action.HASHMOD);
  }
}
