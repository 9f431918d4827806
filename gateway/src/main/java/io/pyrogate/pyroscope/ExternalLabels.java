package io.pyrogate.pyroscope;

import io.pyrogate.golang.Url;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Alloy's {@code pyroscope.write} does to the labels of every pushed series before sending:
 * drops reserved labels (names starting with {@code __}) except {@code __name__} and {@code
 * __delta__}, then applies {@code external_labels}, overriding a series label of the same name; an
 * empty value deletes the label. Labels keep their order; new ones are appended sorted by name. A
 * request that needs no change is returned as it is, so it is delivered byte for byte.
 *
 * <p>For a legacy {@code /ingest} profile the labels are in the {@code name} query parameter;
 * Alloy's {@code AppendIngest} rewrites it (see {@link #applyToIngestQuery}).
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

  /**
   * What Alloy's {@code AppendIngest} does to an {@code /ingest} query when the write has external
   * labels: parses the {@code name} label set, sets {@code __name__} to {@code service_name} when
   * that is present ({@code ensureNameMatchesService}), applies the external labels (override; an
   * empty value deletes; reserved labels are not dropped on this path) and writes the name back as
   * {@code app{k1=v1,...}} with sorted keys. Unlike Alloy, which re-encodes the whole query, every
   * other parameter stays byte for byte as received; the new {@code name} takes the place of the
   * first one (other {@code name} parameters are removed, as Go's {@code Values.Set} does). Without
   * external labels the query is returned as it is.
   *
   * @throws LabelSet.InvalidNameException when the name is not one Pyroscope accepts (so it cannot
   *     be relabelled)
   */
  public String applyToIngestQuery(String rawQuery) {
    if (labels.isEmpty()) {
      return rawQuery;
    }
    Map<String, String> set =
        new LinkedHashMap<>(LabelSet.parse(Url.queryGet(rawQuery, "name")).labels());
    String service = set.get("service_name");
    if (service != null && !service.isEmpty()) {
      set.put(LabelSet.NAME_LABEL, service);
    }
    labels.forEach(
        (k, v) -> {
          if (v.isEmpty()) {
            set.remove(k);
          } else {
            set.put(k, v);
          }
        });
    return IngestQuery.withName(rawQuery, LabelSet.normalized(set));
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
      if (!e.getValue().isEmpty()
          && original.stream().noneMatch(p -> p.getName().equals(e.getKey()))) {
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
