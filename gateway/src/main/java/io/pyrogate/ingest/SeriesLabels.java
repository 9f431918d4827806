package io.pyrogate.ingest;

import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Utf8;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The label checks Pyroscope's distributor applies to every pushed series before it looks at the
 * profile, with its default limits and messages, so that a push Pyroscope would refuse is refused
 * here with the same answer instead of being acknowledged and then dead-lettered by every endpoint.
 *
 * <p>As the distributor does, a series without {@code service_name} is checked as if it had {@code
 * service_name="unknown_service"}, and labels with an empty value are left out before the checks
 * (the request itself is stored unchanged). A series needs a non-empty {@code __name__}. Only the
 * series labels are checked: Pyroscope also checks them together with each sample's pprof labels,
 * which needs the profile decoded, and default relabeling rules may add a label; a series those
 * make fail is still accepted here.
 */
final class SeriesLabels {
  static final int MAX_LABEL_NAMES = 30;
  static final int MAX_NAME_LENGTH = 1024;
  static final int MAX_VALUE_LENGTH = 2048;
  static final String SERVICE_NAME = "service_name";
  static final String SERVICE_NAME_FALLBACK = "unknown_service";

  private SeriesLabels() {}

  /**
   * Checks every series of the request.
   *
   * @throws Rejection 400 invalid_argument with Pyroscope's message for the first series that fails
   */
  static void validate(PushRequest request) {
    int samples = 0;
    for (RawProfileSeries series : request.getSeriesList()) {
      samples += series.getSamplesCount();
    }
    if (samples == 0) {
      throw Rejection.invalidArgument("no profiles received");
    }
    for (RawProfileSeries series : request.getSeriesList()) {
      if (series.getSamplesCount() > 0) {
        validate(series.getLabelsList());
      }
    }
  }

  static void validate(List<LabelPair> original) {
    if (original.isEmpty()) {
      throw labelError("error at least one label pair is required per profile");
    }
    List<LabelPair> ls = new ArrayList<>(original);
    if (value(ls, SERVICE_NAME).isEmpty()) {
      ls.add(LabelPair.newBuilder().setName(SERVICE_NAME).setValue(SERVICE_NAME_FALLBACK).build());
    }
    ls = withoutEmptyValues(ls);
    ls.sort(Comparator.comparing(LabelPair::getName));
    if (ls.size() > MAX_LABEL_NAMES) {
      throw labelError(
          "profile series '"
              + string(ls)
              + "' has "
              + ls.size()
              + " label names; limit "
              + MAX_LABEL_NAMES);
    }
    String metricName = value(ls, IngestName.NAME_LABEL);
    if (metricName.isEmpty() || !Utf8.validString(metricName)) {
      throw invalid(ls, "invalid metric name");
    }
    if (value(ls, SERVICE_NAME).isEmpty()) {
      throw invalid(ls, "service name is not provided");
    }
    String last = null;
    for (LabelPair l : ls) {
      if (Utf8.length(l.getName()) > MAX_NAME_LENGTH) {
        throw labelError(
            "profile with labels '"
                + string(ls)
                + "' has label name too long: '"
                + l.getName()
                + "'");
      }
      if (Utf8.length(l.getValue()) > MAX_VALUE_LENGTH) {
        throw labelError(
            "profile with labels '"
                + string(ls)
                + "' has label value too long: '"
                + l.getValue()
                + "'");
      }
      if (l.getName().isEmpty() || !Utf8.validString(l.getName())) {
        throw invalid(ls, "invalid label name '" + l.getName() + "'");
      }
      if (!Utf8.validString(l.getValue())) {
        throw invalid(ls, "invalid label value '" + l.getValue() + "'");
      }
      if (l.getName().equals(last)) {
        throw labelError(
            "profile with labels '"
                + string(ls)
                + "' has duplicate label name: '"
                + l.getName()
                + "'");
      }
      last = l.getName();
    }
  }

  /**
   * What Pyroscope's labels builder keeps before it validates: a label with an empty value is a
   * missing label, so every label of a name that has an empty value somewhere is left out.
   */
  private static List<LabelPair> withoutEmptyValues(List<LabelPair> ls) {
    Set<String> dropped = new HashSet<>();
    for (LabelPair l : ls) {
      if (l.getValue().isEmpty()) {
        dropped.add(l.getName());
      }
    }
    if (dropped.isEmpty()) {
      return ls;
    }
    List<LabelPair> kept = new ArrayList<>(ls.size());
    for (LabelPair l : ls) {
      if (!dropped.contains(l.getName())) {
        kept.add(l);
      }
    }
    return kept;
  }

  /** The value of the first label called {@code name}, or "". */
  static String value(List<LabelPair> labels, String name) {
    for (LabelPair l : labels) {
      if (l.getName().equals(name)) {
        return l.getValue();
      }
    }
    return "";
  }

  private static Rejection invalid(List<LabelPair> ls, String reason) {
    return labelError("invalid labels '" + string(ls) + "' with error: " + reason);
  }

  private static Rejection labelError(String message) {
    return Rejection.invalidArgument(Rejection.Reason.LABELS, message);
  }

  /** Pyroscope's rendering of a label set: {@code {name="value", ...}}. */
  static String string(List<LabelPair> ls) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < ls.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(ls.get(i).getName()).append('=').append(Strconv.quote(ls.get(i).getValue()));
    }
    return b.append('}').toString();
  }
}
