package io.pyrogate.ops.status;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Reads meters from the Micrometer registry by the name {@code /metrics} shows them under (e.g.
 * {@code pyroscope_write_sent_bytes}, with or without a counter's {@code _total}) and their tags,
 * so the status page shows exactly what is scraped, and a meter another part of pyrogate may or may
 * not register is simply absent. Which meters exist is read at each {@link #refresh}. It also keeps
 * the totals of every counter over a short window ({@link #sample}), for rates per second.
 */
final class MeterReader {
  private final MeterRegistry registry;
  private final long windowNanos;
  private final LongSupplier nanoClock;

  /** Counter totals at a moment, by meter id. */
  private record Sample(long atNanos, Map<Meter.Id, Double> totals) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /** The meters by their scraped name without {@code _total}, as of the last {@link #refresh}. */
  private volatile Map<String, List<Meter>> byName = Map.of();

  /**
   * @param windowNanos rates are over at least this span once that much has been sampled
   */
  MeterReader(MeterRegistry registry, long windowNanos, LongSupplier nanoClock) {
    this.registry = registry;
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
  }

  /** Records the total of every counter now; older samples than the window needs are dropped. */
  synchronized void sample() {
    Map<Meter.Id, Double> totals = new HashMap<>();
    for (Meter m : registry.getMeters()) {
      if (m.getId().getType() == Meter.Type.COUNTER) {
        totals.put(m.getId(), value(m));
      }
    }
    long now = nanoClock.getAsLong();
    samples.addLast(new Sample(now, totals));
    while (samples.size() > 2 && now - secondOldest().atNanos() >= windowNanos) {
      samples.removeFirst();
    }
  }

  private Sample secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /** The sum of the meters of this name whose tags include {@code tags}; null when none exists. */
  Double sum(String name, Map<String, String> tags) {
    List<Meter> meters = find(name, tags);
    return meters.isEmpty() ? null : meters.stream().mapToDouble(MeterReader::value).sum();
  }

  /**
   * The sums of the meters of this name whose tags include {@code tags}, by the value of {@code
   * by}.
   */
  Map<String, Double> sumBy(String name, Map<String, String> tags, String by) {
    Map<String, Double> sums = new TreeMap<>();
    for (Meter m : find(name, tags)) {
      String key = m.getId().getTag(by);
      if (key != null) {
        sums.merge(key, value(m), Double::sum);
      }
    }
    return sums;
  }

  /**
   * The summed rate per second of the counters of this name whose tags include {@code tags}, over
   * the sampled window; null before two samples or when no such counter exists.
   */
  synchronized Double rate(String name, Map<String, String> tags) {
    List<Meter> meters = find(name, tags);
    if (meters.isEmpty() || samples.size() < 2) {
      return null;
    }
    double rate = 0;
    for (Meter m : meters) {
      rate += rate(m.getId());
    }
    return rate;
  }

  /** The rates per second of the counters of this name and tags, by the value of {@code by}. */
  synchronized Map<String, Double> rateBy(String name, Map<String, String> tags, String by) {
    Map<String, Double> rates = new TreeMap<>();
    if (samples.size() < 2) {
      return rates;
    }
    for (Meter m : find(name, tags)) {
      String key = m.getId().getTag(by);
      if (key != null) {
        rates.merge(key, rate(m.getId()), Double::sum);
      }
    }
    return rates;
  }

  private double rate(Meter.Id id) {
    Sample first = samples.getFirst();
    Sample last = samples.getLast();
    Double now = last.totals().get(id);
    if (now == null) {
      return 0;
    }
    double before = first.totals().getOrDefault(id, 0.0);
    double seconds = (last.atNanos() - first.atNanos()) / 1e9;
    // A counter registered anew (its endpoint redeployed with a new meter) may restart lower.
    return seconds <= 0 ? 0 : Math.max(0, now - before) / seconds;
  }

  /**
   * Reads which meters exist, once for the lookups of a snapshot: a registry holds thousands of
   * meters (HTTP and Kafka client metrics), too many to scan for each value shown.
   */
  void refresh() {
    Map<String, List<Meter>> index = new HashMap<>();
    for (Meter m : registry.getMeters()) {
      index.computeIfAbsent(shownName(m.getId()), k -> new ArrayList<>()).add(m);
    }
    byName = index;
  }

  private List<Meter> find(String name, Map<String, String> tags) {
    return byName.getOrDefault(withoutTotal(name), List.of()).stream()
        .filter(
            m ->
                tags.entrySet().stream()
                    .allMatch(t -> t.getValue().equals(m.getId().getTag(t.getKey()))))
        .toList();
  }

  private String shownName(Meter.Id id) {
    return withoutTotal(
        registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit()));
  }

  /** A counter is scraped as NAME_total; the registry's naming convention may or may not say so. */
  private static String withoutTotal(String name) {
    return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
  }

  private static double value(Meter m) {
    for (Measurement measurement : m.measure()) {
      Statistic s = measurement.getStatistic();
      if (s == Statistic.COUNT || s == Statistic.VALUE) {
        double v = measurement.getValue();
        return Double.isNaN(v) ? 0 : v;
      }
    }
    return 0;
  }
}
