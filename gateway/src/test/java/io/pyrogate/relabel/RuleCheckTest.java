package io.pyrogate.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.relabel.RelabelRule.Action;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Alloy's rule validation ({@code internal/component/common/relabel/relabel.go} {@code Validate}):
 * the cases of its {@code TestRelabelValidate} and {@code TestTargetLabelValidity}, and one case
 * per other check, with Alloy's messages.
 */
class RuleCheckTest {
  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of(
            "replace without target",
            rule(Action.REPLACE, null, "(.*)", "", "$1", 0),
            "relabel configuration for replace action requires 'target_label' value"),
        Arguments.of(
            "lowercase without target",
            rule(Action.LOWERCASE, null, "(.*)", "", "$1", 0),
            "relabel configuration for lowercase action requires 'target_label' value"),
        Arguments.of(
            "lowercase to ${3} (UTF-8 names)",
            rule(Action.LOWERCASE, null, "(.*)", "${3}", "$1", 0), null),
        Arguments.of(
            "replace to ${3}",
            rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}", 0), null),
        Arguments.of(
            "replace to 0${3}",
            rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "0${3}", "${1}", 0),
            "\"0${3}\" is invalid 'target_label' for replace action"),
        Arguments.of(
            "replace to -${3}",
            rule(Action.REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "-${3}", "${1}", 0),
            "\"-${3}\" is invalid 'target_label' for replace action"),
        Arguments.of(
            "replace to a UTF-8 name",
            rule(Action.REPLACE, null, "(.*)", "service.name", "$1", 0),
            null),
        Arguments.of(
            "replace to ${",
            rule(Action.REPLACE, null, "(.*)", "foo${", "$1", 0),
            "\"foo${\" is invalid 'target_label' for replace action"),
        Arguments.of(
            "hashmod without modulus",
            rule(Action.HASHMOD, null, "(.*)", "t", "$1", 0),
            "relabel configuration for hashmod requires non-zero modulus"),
        Arguments.of(
            "hashmod without target",
            rule(Action.HASHMOD, null, "(.*)", "", "$1", 2),
            "relabel configuration for hashmod action requires 'target_label' value"),
        Arguments.of(
            "uppercase with a replacement",
            rule(Action.UPPERCASE, null, "(.*)", "t", "x", 0),
            "'replacement' can not be set for uppercase action"),
        Arguments.of(
            "labelmap to an invalid name",
            rule(Action.LABELMAP, null, "(.*)", "", "-$1", 0),
            "\"-$1\" is invalid 'replacement' for labelmap action"),
        Arguments.of(
            "labeldrop with source_labels",
            rule(Action.LABELDROP, List.of(), "a", "", "$1", 0),
            "labeldrop action requires only 'regex', and no other fields"),
        Arguments.of(
            "labelkeep with a target",
            rule(Action.LABELKEEP, null, "a", "t", "$1", 0),
            "labelkeep action requires only 'regex', and no other fields"),
        Arguments.of("labelkeep alone", rule(Action.LABELKEEP, null, "a", "", "$1", 0), null),
        Arguments.of(
            "keepequal with a regex",
            rule(Action.KEEPEQUAL, List.of("a"), "x", "t", "$1", 0),
            "keepequal action requires only 'source_labels' and 'target_label', and no other fields"),
        Arguments.of(
            "dropequal with (.*) written out",
            rule(Action.DROPEQUAL, List.of("a"), "(.*)", "t", "$1", 0),
            null),
        Arguments.of(
            "dropequal with a separator",
            new RelabelRule(List.of("a"), ",", "(.*)", 0, "t", "$1", Action.DROPEQUAL),
            "dropequal action requires only 'source_labels' and 'target_label', and no other fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void messagesAreAlloys(String name, RelabelRule rule, String expected) {
    assertThat(RuleCheck.problem(rule)).isEqualTo(expected);
  }

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("-label", false),
        Arguments.of("label", true),
        Arguments.of("label${1}", true),
        Arguments.of("${1}label", true),
        Arguments.of("${1}", true),
        Arguments.of("${", false),
        Arguments.of("$", false),
        Arguments.of("${}", false),
        Arguments.of("foo${", false),
        Arguments.of("$1", true),
        Arguments.of("asd$2asd", true),
        Arguments.of("-foo${1}bar-", false),
        Arguments.of("_${1}_", true),
        Arguments.of("foo${bar}foo", true));
  }

  /** Alloy's TestTargetLabelValidity. */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("targets")
  void targetsWithVariables(String target, boolean valid) {
    assertThat(LabelNames.isTargetWithVariables(target)).isEqualTo(valid);
  }

  private static RelabelRule rule(
      Action action,
      List<String> sources,
      String regex,
      String target,
      String replacement,
      long modulus) {
    return new RelabelRule(sources, ";", regex, modulus, target, replacement, action);
  }
}
