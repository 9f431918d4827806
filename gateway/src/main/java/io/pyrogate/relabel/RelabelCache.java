package io.pyrogate.relabel;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What the rules made of the label sets seen most recently, as Alloy's {@code pyroscope.relabel}
 * keeps them in its LRU cache of {@code max_cache_size} entries: one entry per distinct label set
 * (Alloy keys by fingerprint and compares the sets on a collision, which is the same), the least
 * recently used one evicted first. An empty outcome stands for a dropped profile. Thread-safe.
 */
public final class RelabelCache {
  /** A cached outcome: the profile is dropped. */
  static final SortedMap<String, String> DROPPED = Collections.emptySortedMap();

  private final LinkedHashMap<Map<String, String>, SortedMap<String, String>> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private int capacity;

  public RelabelCache(int capacity) {
    this.capacity = capacity;
  }

  /** The outcome cached for {@code labels}, or null; a hit makes it the most recently used. */
  synchronized SortedMap<String, String> get(Map<String, String> labels) {
    return entries.get(labels);
  }

  synchronized void put(Map<String, String> labels, SortedMap<String, String> outcome) {
    entries.put(labels, outcome);
    evict();
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Alloy's {@code Resize}: the least recently used entries beyond the new capacity go. */
  public synchronized void resize(int newCapacity) {
    capacity = newCapacity;
    evict();
  }

  private void evict() {
    Iterator<Map<String, String>> oldest = entries.keySet().iterator();
    while (entries.size() > capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
