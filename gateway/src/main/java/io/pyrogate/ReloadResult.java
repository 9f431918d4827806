package io.pyrogate;

import java.util.List;

/**
 * What a reload did, by component: {@code pyroscope.receive_http.LABEL}, {@code
 * pyroscope.receive_kafka.LABEL}, {@code pyroscope.write.LABEL} and {@code pyroscope.write.LABEL
 * endpoint "NAME"}, in the order they were applied.
 */
public record ReloadResult(List<String> added, List<String> changed, List<String> removed) {
  public ReloadResult {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
  }

  public boolean unchanged() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }

  /** For people: "config unchanged", or a line per kind of change naming the components. */
  public String describe() {
    if (unchanged()) {
      return "config unchanged";
    }
    StringBuilder b = new StringBuilder();
    line(b, "added", added);
    line(b, "changed", changed);
    line(b, "removed", removed);
    return b.toString().stripTrailing();
  }

  private static void line(StringBuilder b, String kind, List<String> components) {
    if (!components.isEmpty()) {
      b.append(kind).append(": ").append(String.join(", ", components)).append('\n');
    }
  }
}
