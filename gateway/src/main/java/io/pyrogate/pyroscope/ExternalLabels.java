package io.pyrogate.pyroscope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;

/**
 * What Alloy's {@code pyroscope.write} does to the labels of every pushed series before sending: drops
 * reserved labels (names starting with {@code __}) except {@code __name__} and {@code __delta__}, then applies
 * {@code external_labels}, overriding a series label of the same name; an empty value deletes the label.
 * Labels keep their order; new ones are appended sorted by name. A request that needs no change is returned
 * as it is, so it is delivered byte for byte.
 */
public final class ExternalLabels {
  private final Map<String, String> labels;

  public ExternalLabels(Map<String, String> labels) {
    this.labels = new TreeMap<>(labels);
  }

  public PushRequest apply(PushRequest request) {
    PushRequest.Builder out = null;
    for (int i = 0; i < request.getSeriesCount(); i++) {
      RawProfileSeries series = request.getSeries(i);
      List<LabelPair> relabelled = relabel(series.getLabelsList());
      if (relabelled != null) {
        if (out == null) {
          out = request.toBuilder();
        }
        out.setSeries(i, series.toBuilder().clearLabels().addAllLabels(relabelled));
      }
    }
    return out == null ? request : out.build();
  }

  /** The new labels, or null when they stay as they are. */
  List<LabelPair> relabel(List<LabelPair> original) {
    boolean changed = false;
    List<LabelPair> result = new ArrayList<>(original.size() + labels.size());
    for (LabelPair pair : original) {
      String name = pair.getName();
      if (isDroppedReserved(name)) {
        changed = true;
        continue;
      }
      String external = labels.get(name);
      if (external == null) {
        result.add(pair);
      } else if (external.isEmpty()) {
        changed = true;
      } else {
        changed |= !external.equals(pair.getValue());
        result.add(LabelPair.newBuilder().setName(name).setValue(external).build());
      }
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!e.getValue().isEmpty() && original.stream().noneMatch(p -> p.getName().equals(e.getKey()))) {
        result.add(LabelPair.newBuilder().setName(e.getKey()).setValue(e.getValue()).build());
        changed = true;
      }
    }
    return changed ? result : null;
  }

  static boolean isDroppedReserved(String name) {
    return name.startsWith("__") && !name.equals("__name__") && !name.equals("__delta__");
  }
}
