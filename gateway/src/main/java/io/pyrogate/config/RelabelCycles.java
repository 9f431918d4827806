package io.pyrogate.config;

import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.ReferenceValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds {@code pyroscope.relabel} components that forward to themselves through their {@code
 * forward_to} (a profile would go round for ever), and reports each cycle once, at the reference
 * that closes it, with the whole path.
 */
final class RelabelCycles {
  private final Map<String, RelabelComponent> byLabel = new HashMap<>();
  private final Map<String, List<ReferenceValue>> forwardTo = new HashMap<>();
  private final Set<String> done = new HashSet<>();
  private final List<String> path = new ArrayList<>();
  private final Diagnostics diags;

  private RelabelCycles(Diagnostics diags) {
    this.diags = diags;
  }

  /**
   * @param references the forward_to references of each relabel component, in the same order
   */
  static void report(
      List<RelabelComponent> relabels, List<List<ReferenceValue>> references, Diagnostics diags) {
    RelabelCycles cycles = new RelabelCycles(diags);
    for (int i = 0; i < relabels.size(); i++) {
      cycles.byLabel.put(relabels.get(i).label(), relabels.get(i));
      cycles.forwardTo.put(relabels.get(i).label(), references.get(i));
    }
    relabels.forEach(r -> cycles.visit(r.label()));
  }

  private void visit(String label) {
    if (done.contains(label)) {
      return;
    }
    path.add(label);
    for (String target : byLabel.get(label).forwardTo()) {
      if (!ForwardTarget.isRelabel(target)) {
        continue;
      }
      String next = ForwardTarget.label(target);
      int at = path.indexOf(next);
      if (at >= 0) {
        List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
        cycle.add(next);
        diags.error(
            reference(label, target).position(),
            "forward_to of pyroscope.relabel \""
                + label
                + "\" makes a cycle: "
                + String.join(" -> ", cycle.stream().map(ForwardTarget::relabel).toList())
                + "; a profile would be relabelled for ever");
      } else {
        visit(next);
      }
    }
    path.remove(path.size() - 1);
    done.add(label);
  }

  /** The reference in {@code label}'s forward_to that names {@code target}. */
  private ReferenceValue reference(String label, String target) {
    String receiver = target + ".receiver";
    return forwardTo.get(label).stream()
        .filter(r -> r.path().equals(receiver))
        .findFirst()
        .orElseThrow();
  }
}
