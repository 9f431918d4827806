package io.pyrogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps that bring the running components of one kind to the wanted ones, in the order they are
 * applied: first every running component the configuration no longer has is removed, then, in the
 * configuration's order, each new one is added and each whose configuration differs is changed. A
 * component whose configuration is equal is left alone. Pure: it compares configurations with
 * {@code equals} and touches nothing.
 *
 * @param <K> what identifies a component across configurations (a label, or a write label and an
 *     endpoint name)
 */
record ComponentDiff<K>(List<Step<K>> steps) {
  enum Action {
    REMOVE,
    ADD,
    CHANGE
  }

  record Step<K>(Action action, K key) {}

  ComponentDiff {
    steps = List.copyOf(steps);
  }

  /**
   * @param running the configuration of each running component, in the order they were started
   * @param wanted the configuration of each component the new configuration has, in its order
   */
  static <K, C> ComponentDiff<K> between(Map<K, C> running, Map<K, C> wanted) {
    List<Step<K>> steps = new ArrayList<>();
    for (K key : running.keySet()) {
      if (!wanted.containsKey(key)) {
        steps.add(new Step<>(Action.REMOVE, key));
      }
    }
    wanted.forEach(
        (key, config) -> {
          if (!running.containsKey(key)) {
            steps.add(new Step<>(Action.ADD, key));
          } else if (!running.get(key).equals(config)) {
            steps.add(new Step<>(Action.CHANGE, key));
          }
        });
    return new ComponentDiff<>(steps);
  }

  /** The components this diff applies {@code action} to, in order. */
  List<K> keys(Action action) {
    return steps.stream().filter(s -> s.action() == action).map(Step::key).toList();
  }
}
