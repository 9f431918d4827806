package io.pyrogate.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pyrogate.relabel.Relabeler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one {@code pyroscope.relabel} component, with Alloy's names and its {@code
 * component_id} label. Alloy's counters have no {@code _total} suffix, which the Prometheus client
 * here adds to every counter; they are served as gauges that only grow, so that queries and
 * dashboards written for Alloy find them under the same names.
 */
public final class RelabelMetrics implements Relabeler.CacheMeter {
  private final AtomicLong processed;
  private final AtomicLong written;
  private final AtomicLong dropped;
  private final AtomicLong hits;
  private final AtomicLong misses;
  private final AtomicLong cacheSize;

  RelabelMetrics(MeterRegistry registry, String componentId) {
    processed =
        gauge(
            registry,
            componentId,
            "pyroscope.relabel.profiles.processed",
            "Total number of profiles processed");
    written =
        gauge(
            registry,
            componentId,
            "pyroscope.relabel.profiles.written",
            "Total number of profiles forwarded");
    dropped =
        gauge(
            registry,
            componentId,
            "pyroscope.relabel.profiles.dropped",
            "Total number of profiles dropped by relabeling rules");
    hits =
        gauge(registry, componentId, "pyroscope.relabel.cache.hits", "Total number of cache hits");
    misses =
        gauge(
            registry,
            componentId,
            "pyroscope.relabel.cache.misses",
            "Total number of cache misses");
    cacheSize =
        gauge(registry, componentId, "pyroscope.relabel.cache.size", "Total size of relabel cache");
  }

  private static AtomicLong gauge(
      MeterRegistry registry, String componentId, String name, String help) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get)
        .description(help)
        .tags("component_id", componentId)
        .register(registry);
    return value;
  }

  public void processed() {
    processed.incrementAndGet();
  }

  public void written() {
    written.incrementAndGet();
  }

  public void dropped() {
    dropped.incrementAndGet();
  }

  @Override
  public void hit() {
    hits.incrementAndGet();
  }

  @Override
  public void miss() {
    misses.incrementAndGet();
  }

  @Override
  public void size(int entries) {
    cacheSize.set(entries);
  }
}
