package io.pyrogate.relabel;

import io.pyrogate.golang.Strconv;
import io.pyrogate.relabel.RelabelRule.Action;
import java.util.Set;

/**
 * The checks Alloy's {@code internal/component/common/relabel.Config.Validate} makes of a rule,
 * with its messages, in its order (the first failing check is the one reported).
 */
public final class RuleCheck {
  /** Actions that write to {@code target_label}. */
  private static final Set<Action> NEED_TARGET =
      Set.of(
          Action.REPLACE,
          Action.HASHMOD,
          Action.LOWERCASE,
          Action.UPPERCASE,
          Action.KEEPEQUAL,
          Action.DROPEQUAL);

  /** Actions whose target is a plain label name and that take no replacement. */
  private static final Set<Action> PLAIN_TARGET =
      Set.of(Action.LOWERCASE, Action.UPPERCASE, Action.KEEPEQUAL, Action.DROPEQUAL);

  private RuleCheck() {}

  /**
   * @return Alloy's message for the first problem, or null when the rule is valid
   */
  public static String problem(RelabelRule rule) {
    Action action = rule.action();
    String target = rule.targetLabel();
    if (rule.modulus() == 0 && action == Action.HASHMOD) {
      return "relabel configuration for hashmod requires non-zero modulus";
    }
    if (NEED_TARGET.contains(action) && target.isEmpty()) {
      return "relabel configuration for " + action.wire() + " action requires 'target_label' value";
    }
    boolean variables = target.contains("$");
    if (action == Action.REPLACE
        && (variables ? !LabelNames.isTargetWithVariables(target) : !LabelNames.isValid(target))) {
      return invalid(target, "target_label", action);
    }
    if (PLAIN_TARGET.contains(action) && !LabelNames.isValid(target)) {
      return invalid(target, "target_label", action);
    }
    if (PLAIN_TARGET.contains(action)
        && !rule.replacement().equals(RelabelRule.DEFAULT_REPLACEMENT)) {
      return "'replacement' can not be set for " + action.wire() + " action";
    }
    if (action == Action.LABELMAP && !LabelNames.isTargetWithVariables(rule.replacement())) {
      return invalid(rule.replacement(), "replacement", action);
    }
    if (action == Action.HASHMOD && !LabelNames.isValid(target)) {
      return invalid(target, "target_label", action);
    }
    if ((action == Action.LABELDROP || action == Action.LABELKEEP)
        && (rule.sourceLabels() != null
            || !target.isEmpty()
            || rule.modulus() != 0
            || !rule.separator().equals(RelabelRule.DEFAULT_SEPARATOR)
            || !rule.replacement().equals(RelabelRule.DEFAULT_REPLACEMENT))) {
      return action.wire() + " action requires only 'regex', and no other fields";
    }
    if ((action == Action.KEEPEQUAL || action == Action.DROPEQUAL)
        && (!rule.regex().equals(RelabelRule.DEFAULT_REGEX)
            || rule.modulus() != 0
            || !rule.separator().equals(RelabelRule.DEFAULT_SEPARATOR)
            || !rule.replacement().equals(RelabelRule.DEFAULT_REPLACEMENT))) {
      return action.wire()
          + " action requires only 'source_labels' and 'target_label', and no other fields";
    }
    return null;
  }

  private static String invalid(String value, String field, Action action) {
    return Strconv.quote(value) + " is invalid '" + field + "' for " + action.wire() + " action";
  }
}
