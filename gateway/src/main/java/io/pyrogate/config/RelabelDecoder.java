package io.pyrogate.config;

import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.relabel.RelabelRegex;
import io.pyrogate.relabel.RelabelRule;
import io.pyrogate.relabel.RuleCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a {@code pyroscope.relabel} component: {@code max_cache_size} and its {@code rule}
 * blocks, with Alloy's defaults and Alloy's messages for a rule it refuses.
 */
final class RelabelDecoder {
  private RelabelDecoder() {}

  /** A {@code pyroscope.relabel} component but its forward_to, read by the caller. */
  static RelabelComponent read(String label, BlockReader r) {
    Diagnostics diags = r.diagnostics();
    long maxCacheSize =
        r.number("max_cache_size").orElse((long) RelabelComponent.DEFAULT_MAX_CACHE_SIZE);
    if (maxCacheSize <= 0 || maxCacheSize > Integer.MAX_VALUE) {
      // Alloy's LRU cache refuses to be built: lru.New's "must provide a positive size".
      diags.error(
          r.positionOf("max_cache_size").orElse(r.position()),
          "max_cache_size of "
              + r.what()
              + " must provide a positive size (1 to "
              + Integer.MAX_VALUE
              + "), got "
              + maxCacheSize);
      maxCacheSize = RelabelComponent.DEFAULT_MAX_CACHE_SIZE;
    }
    List<RelabelRule> rules = new ArrayList<>();
    for (Block b : r.blocks("rule")) {
      RelabelRule rule = rule(BlockReader.of(r.what() + " rule", b, r.context()));
      if (rule != null) {
        String problem = RuleCheck.problem(rule);
        if (problem != null) {
          diags.error(b.position(), problem);
        } else {
          rules.add(rule);
        }
      }
    }
    r.finish();
    return new RelabelComponent(label, List.of(), (int) maxCacheSize, rules);
  }

  /** A rule with Alloy's defaults; null when an attribute was reported as invalid. */
  private static RelabelRule rule(BlockReader r) {
    Diagnostics diags = r.diagnostics();
    int errors = diags.errors().size();
    List<String> sourceLabels = r.stringList("source_labels").orElse(null);
    String separator = r.string("separator").orElse(RelabelRule.DEFAULT_SEPARATOR);
    String regex = r.string("regex").orElse(RelabelRule.DEFAULT_REGEX);
    try {
      RelabelRegex.compile(regex);
    } catch (IllegalArgumentException e) {
      diags.error(r.positionOf("regex").orElse(r.position()), e.getMessage());
    }
    long modulus = r.number("modulus").orElse(0L);
    if (modulus < 0) {
      diags.error(
          r.positionOf("modulus").orElse(r.position()),
          "modulus of " + r.what() + " must not be negative, got " + modulus);
    }
    String targetLabel = r.string("target_label").orElse("");
    String replacement = r.string("replacement").orElse(RelabelRule.DEFAULT_REPLACEMENT);
    String actionName = r.string("action").orElse(RelabelRule.Action.REPLACE.wire());
    RelabelRule.Action action = RelabelRule.Action.of(actionName);
    if (action == null) {
      diags.error(
          r.positionOf("action").orElse(r.position()),
          "unrecognized action type \""
              + actionName
              + "\""
              + Suggestions.didYouMean(
                  actionName,
                  Arrays.stream(RelabelRule.Action.values())
                      .map(RelabelRule.Action::wire)
                      .toList()));
    }
    r.finish();
    if (diags.errors().size() > errors) {
      return null;
    }
    return new RelabelRule(
        sourceLabels, separator, regex, modulus, targetLabel, replacement, action);
  }
}
