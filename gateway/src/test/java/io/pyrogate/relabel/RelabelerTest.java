package io.pyrogate.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.relabel.RelabelRule.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cache of Alloy's pyroscope.relabel ({@code
 * internal/component/pyroscope/relabel/relabel_test.go} {@code TestCache}, {@code TestCacheLRU},
 * {@code TestMetricsWithRelabeling}): one entry per label set, least recently used evicted first,
 * dropped outcomes cached too.
 */
class RelabelerTest {
  private static final RelabelRule DROP_DEV =
      new RelabelRule(List.of("env"), ";", "dev", 0, "", "$1", Action.DROP);

  /** Counts as Alloy's cache metrics do. */
  private static final class Meter implements Relabeler.CacheMeter {
    int hits;
    int misses;
    int size;

    @Override
    public void hit() {
      hits++;
    }

    @Override
    public void miss() {
      misses++;
    }

    @Override
    public void size(int entries) {
      size = entries;
    }
  }

  private final Meter meter = new Meter();

  private Relabeler relabeler(int capacity, RelabelRule... rules) {
    return new Relabeler(RelabelRules.of(List.of(rules)), new RelabelCache(capacity), meter);
  }

  @Test
  void theSameLabelSetIsAHitAndTakesOneEntry() {
    Relabeler r =
        relabeler(
            4,
            new RelabelRule(
                List.of("env"), ";", "(.+)", 0, "environment", "staging", Action.REPLACE));
    Map<String, String> prod = Map.of("env", "prod");

    assertThat(r.relabel(prod)).containsEntry("environment", "staging");
    assertThat(r.relabel(prod)).containsEntry("environment", "staging");

    assertThat(r.cache().size()).isEqualTo(1);
    assertThat(meter.hits).isEqualTo(1);
    assertThat(meter.misses).isEqualTo(1);
  }

  @Test
  void theLeastRecentlyUsedSetIsEvicted() {
    Relabeler r = relabeler(2);
    r.relabel(Map.of("env", "prod"));
    r.relabel(Map.of("env", "dev"));
    r.relabel(Map.of("env", "stage"));

    assertThat(r.cache().size()).isEqualTo(2);
    assertThat(meter.misses).isEqualTo(3);
    r.relabel(Map.of("env", "stage"));
    r.relabel(Map.of("env", "prod"));
    assertThat(meter.hits).as("stage is cached, prod was evicted").isEqualTo(1);
    assertThat(meter.misses).isEqualTo(4);
  }

  @Test
  void droppedOutcomesAreCachedAndCountedAsAlloysTestCountsThem() {
    Relabeler r = relabeler(10, DROP_DEV);

    assertThat(r.relabel(Map.of("env", "prod"))).isEqualTo(Map.of("env", "prod"));
    assertThat(r.relabel(Map.of("env", "dev"))).isNull();
    assertThat(r.relabel(Map.of("env", "prod"))).isEqualTo(Map.of("env", "prod"));
    assertThat(r.relabel(Map.of("env", "stage"))).isEqualTo(Map.of("env", "stage"));
    assertThat(r.relabel(Map.of("env", "dev"))).isNull();

    assertThat(meter.hits).isEqualTo(2);
    assertThat(meter.misses).isEqualTo(3);
    assertThat(meter.size).isEqualTo(3);
  }

  @Test
  void aProfileLeftWithoutLabelsIsDroppedAsAlloysDocumentationSays() {
    Relabeler r =
        relabeler(10, new RelabelRule(null, ";", "env|region", 0, "", "$1", Action.LABELDROP));

    assertThat(r.relabel(Map.of("env", "prod", "region", "us-1"))).isNull();
    assertThat(r.relabel(Map.of("env", "prod", "region", "us-1"))).isNull();
  }

  @Test
  void resizingEvictsTheLeastRecentlyUsed() {
    Relabeler r = relabeler(3);
    r.relabel(Map.of("env", "a"));
    r.relabel(Map.of("env", "b"));
    r.relabel(Map.of("env", "c"));
    r.relabel(Map.of("env", "a"));

    r.cache().resize(1);

    assertThat(r.cache().size()).isEqualTo(1);
    r.relabel(Map.of("env", "a"));
    assertThat(meter.hits).as("a was used last, so it stays").isEqualTo(2);
  }
}
