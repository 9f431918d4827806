package io.pyrogate.relabel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Prometheus' {@code labels.Builder}, which relabel rules work on: a sorted base label set with the
 * names deleted and the labels set since, in the order they were set. Its {@link #forEach} order
 * (the base labels left, sorted, then the set ones in order) decides which label wins when a
 * labelmap rule maps two names to one, so it is kept exactly. Setting an empty value deletes.
 */
final class LabelBuilder {
  private final SortedMap<String, String> base;
  private final List<String> deleted = new ArrayList<>();
  private final List<String[]> added = new ArrayList<>();

  LabelBuilder(SortedMap<String, String> base) {
    this.base = base;
  }

  /** The value of a label; "" when it is not set. */
  String get(String name) {
    for (String[] a : added) {
      if (a[0].equals(name)) {
        return a[1];
      }
    }
    if (deleted.contains(name)) {
      return "";
    }
    return base.getOrDefault(name, "");
  }

  void set(String name, String value) {
    if (value.isEmpty()) {
      delete(name);
      return;
    }
    for (String[] a : added) {
      if (a[0].equals(name)) {
        a[1] = value;
        return;
      }
    }
    added.add(new String[] {name, value});
  }

  void delete(String name) {
    added.removeIf(a -> a[0].equals(name));
    deleted.add(name);
  }

  /**
   * Calls {@code f} with every label as the builder holds them when called; labels set or deleted
   * by {@code f} do not change what it is called with.
   */
  void forEach(BiConsumer<String, String> f) {
    List<String> deletedBefore = List.copyOf(deleted);
    List<String[]> addedBefore = new ArrayList<>(added.size());
    added.forEach(a -> addedBefore.add(new String[] {a[0], a[1]}));
    base.forEach(
        (name, value) -> {
          if (!deletedBefore.contains(name) && !contains(addedBefore, name)) {
            f.accept(name, value);
          }
        });
    addedBefore.forEach(a -> f.accept(a[0], a[1]));
  }

  /** The resulting label set, sorted by name. */
  SortedMap<String, String> labels() {
    SortedMap<String, String> out = new TreeMap<>();
    base.forEach(
        (name, value) -> {
          if (!deleted.contains(name) && !contains(added, name)) {
            out.put(name, value);
          }
        });
    added.forEach(a -> out.put(a[0], a[1]));
    return out;
  }

  private static boolean contains(List<String[]> labels, String name) {
    for (String[] a : labels) {
      if (a[0].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** A builder over a copy of {@code labels}. */
  static LabelBuilder of(Map<String, String> labels) {
    return new LabelBuilder(new TreeMap<>(labels));
  }
}
