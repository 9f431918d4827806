package io.pyrogate.config;

import io.pyrogate.relabel.RelabelRule;
import java.util.List;

/**
 * A {@code pyroscope.relabel "label"} component: rewrites the labels of every profile with its
 * rules, or drops it, and forwards the rest to its {@code forward_to} targets.
 *
 * @param forwardTo its targets, as {@link ForwardTarget} spells them
 * @param maxCacheSize the most label sets whose outcome is remembered
 */
public record RelabelComponent(
    String label, List<String> forwardTo, int maxCacheSize, List<RelabelRule> rules) {
  public static final int DEFAULT_MAX_CACHE_SIZE = 10_000;

  public RelabelComponent {
    forwardTo = List.copyOf(forwardTo);
    rules = List.copyOf(rules);
  }

  public String componentId() {
    return ForwardTarget.RELABEL + label;
  }

  public RelabelComponent withForwardTo(List<String> targets) {
    return new RelabelComponent(label, targets, maxCacheSize, rules);
  }
}
