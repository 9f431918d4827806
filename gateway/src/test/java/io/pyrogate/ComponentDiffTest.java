package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.ComponentDiff.Action;
import io.pyrogate.ComponentDiff.Step;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentDiffTest {

  @Test
  void fromNothingEveryComponentIsAddedInTheConfigurationsOrder() {
    var diff = ComponentDiff.between(Map.of(), ordered("b", 1, "a", 2, "c", 3));

    assertThat(diff.steps())
        .containsExactly(
            new Step<>(Action.ADD, "b"), new Step<>(Action.ADD, "a"), new Step<>(Action.ADD, "c"));
  }

  @Test
  void anEqualConfigurationLeavesEverythingAlone() {
    var diff = ComponentDiff.between(ordered("a", 1, "b", 2), ordered("b", 2, "a", 1));

    assertThat(diff.steps()).isEmpty();
  }

  @Test
  void goneComponentsAreRemovedFirstThenNewAndChangedOnesFollowTheNewConfigurationsOrder() {
    var running = ordered("a", 1, "b", 1, "c", 1, "e", 1);
    var wanted = ordered("d", 1, "c", 2, "a", 1, "f", 1);

    var diff = ComponentDiff.between(running, wanted);

    assertThat(diff.steps())
        .containsExactly(
            new Step<>(Action.REMOVE, "b"),
            new Step<>(Action.REMOVE, "e"),
            new Step<>(Action.ADD, "d"),
            new Step<>(Action.CHANGE, "c"),
            new Step<>(Action.ADD, "f"));
    assertThat(diff.keys(Action.ADD)).containsExactly("d", "f");
    assertThat(diff.keys(Action.CHANGE)).containsExactly("c");
    assertThat(diff.keys(Action.REMOVE)).containsExactly("b", "e");
  }

  @Test
  void configurationsAreComparedByEquality() {
    record Spec(String url, Map<String, String> labels) {}
    var running = Map.of("a", new Spec("http://x", Map.of("env", "prod")));

    assertThat(
            ComponentDiff.between(running, Map.of("a", new Spec("http://x", Map.of("env", "prod"))))
                .steps())
        .isEmpty();
    assertThat(
            ComponentDiff.between(running, Map.of("a", new Spec("http://x", Map.of("env", "dev"))))
                .steps())
        .containsExactly(new Step<>(Action.CHANGE, "a"));
  }

  @Test
  void anEmptyConfigurationRemovesEverythingInTheOrderItRan() {
    var diff = ComponentDiff.between(ordered("z", 1, "a", 1), Map.of());

    assertThat(diff.steps())
        .containsExactly(new Step<>(Action.REMOVE, "z"), new Step<>(Action.REMOVE, "a"));
  }

  private static Map<String, Integer> ordered(Object... keysAndValues) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], (Integer) keysAndValues[i + 1]);
    }
    return m;
  }
}
