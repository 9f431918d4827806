package io.pyrogate.relabel;

import java.util.Map;
import java.util.SortedMap;

/**
 * One {@code pyroscope.relabel} component's rules with its cache: what Alloy's {@code relabel}
 * method does for every profile. Thread-safe.
 */
public final class Relabeler {
  /** Counts cache lookups, as Alloy's {@code pyroscope_relabel_cache_*} metrics do. */
  public interface CacheMeter {
    void hit();

    void miss();

    void size(int entries);
  }

  private final RelabelRules rules;
  private final RelabelCache cache;
  private final CacheMeter meter;

  public Relabeler(RelabelRules rules, RelabelCache cache, CacheMeter meter) {
    this.rules = rules;
    this.cache = cache;
    this.meter = meter;
  }

  public RelabelRules rules() {
    return rules;
  }

  public RelabelCache cache() {
    return cache;
  }

  /**
   * @return the labels the rules make of {@code labels}, sorted by name; null when the profile is
   *     dropped: by a rule, or because no label is left (as Alloy's documentation says)
   */
  public SortedMap<String, String> relabel(Map<String, String> labels) {
    SortedMap<String, String> outcome = cache.get(labels);
    if (outcome != null) {
      meter.hit();
    } else {
      meter.miss();
      outcome = rules.process(labels);
      if (outcome == null) {
        outcome = RelabelCache.DROPPED;
      }
      cache.put(Map.copyOf(labels), outcome);
      meter.size(cache.size());
    }
    return outcome.isEmpty() ? null : outcome;
  }
}
