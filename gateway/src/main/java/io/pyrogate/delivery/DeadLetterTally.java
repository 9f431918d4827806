package io.pyrogate.delivery;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts an endpoint's dead letters by reason, for the status page's "top reasons". Reasons are
 * free text (an endpoint's error body), so they are cut to {@value #MAX_REASON} characters and at
 * most {@value #MAX_REASONS} distinct ones are kept; later new ones count under {@value #OTHER}.
 * Written from the endpoint's event loop, read from any thread.
 */
public final class DeadLetterTally {
  static final int MAX_REASON = 200;
  static final int MAX_REASONS = 50;
  static final String OTHER = "(other reasons)";

  /** A reason and how many records were dead-lettered for it. */
  public record Reason(String reason, long count) {}

  private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

  void record(String reason) {
    String key = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    if (!byReason.containsKey(key) && byReason.size() >= MAX_REASONS) {
      key = OTHER;
    }
    byReason.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  /** The {@code n} most frequent reasons, most frequent first. */
  public List<Reason> top(int n) {
    return byReason.entrySet().stream()
        .map(e -> new Reason(e.getKey(), e.getValue().sum()))
        .sorted(Comparator.comparingLong(Reason::count).reversed().thenComparing(Reason::reason))
        .limit(n)
        .toList();
  }
}
