package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.ComponentDiff.Action;
import io.pyrogate.ComponentDiff.Step;
import io.pyrogate.Reconciler.EndpointKey;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.TestGateways;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints a reload replaces: pure, no broker. */
class ReconcilerTest {
  private static final KafkaSettings KAFKA =
      new KafkaSettings(List.of("kafka:9092"), "127.0.0.1:9092", "t.", 1, (short) 1);
  private static final Endpoint A = Endpoint.defaults("a", URI.create("http://a"));
  private static final Endpoint B = Endpoint.defaults("b", URI.create("http://b"));

  @Test
  void anAddedEndpointLeavesItsSiblingAlone() {
    var before = config(new WriteComponent("w", List.of(A), Map.of()));
    var after = config(new WriteComponent("w", List.of(A, B), Map.of()));

    assertThat(diff(before, after).steps())
        .containsExactly(new Step<>(Action.ADD, new EndpointKey("w", "b")));
  }

  @Test
  void changedExternalLabelsReplaceEveryEndpointOfThatWriteOnly() {
    var before =
        config(
            new WriteComponent("w", List.of(A, B), Map.of("env", "prod")),
            new WriteComponent("v", List.of(A), Map.of("env", "prod")));
    var after =
        config(
            new WriteComponent("w", List.of(A, B), Map.of("env", "dev")),
            new WriteComponent("v", List.of(A), Map.of("env", "prod")));

    assertThat(diff(before, after).steps())
        .containsExactly(
            new Step<>(Action.CHANGE, new EndpointKey("w", "a")),
            new Step<>(Action.CHANGE, new EndpointKey("w", "b")));
  }

  @Test
  void aChangedEndpointBlockReplacesThatEndpoint() {
    var before = config(new WriteComponent("w", List.of(A, B), Map.of()));
    var after =
        config(
            new WriteComponent(
                "w", List.of(A.withHeaders(Map.of("X-Scope-OrgID", "t1")), B), Map.of()));

    assertThat(diff(before, after).steps())
        .containsExactly(new Step<>(Action.CHANGE, new EndpointKey("w", "a")));
  }

  @Test
  void endpointsAreIdentifiedByTheirWriteAndName() {
    var before = config(new WriteComponent("w", List.of(A), Map.of()));
    var after = config(new WriteComponent("v", List.of(A), Map.of()));

    assertThat(diff(before, after).steps())
        .containsExactly(
            new Step<>(Action.REMOVE, new EndpointKey("w", "a")),
            new Step<>(Action.ADD, new EndpointKey("v", "a")));
  }

  private static ComponentDiff<EndpointKey> diff(GatewayConfig before, GatewayConfig after) {
    return ComponentDiff.between(Reconciler.endpointsOf(before), Reconciler.endpointsOf(after));
  }

  private static GatewayConfig config(WriteComponent... writes) {
    return TestGateways.config(KAFKA, 4040, List.of(writes));
  }
}
