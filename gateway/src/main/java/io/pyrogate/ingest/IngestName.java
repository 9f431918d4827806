package io.pyrogate.ingest;

import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.pyroscope.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code name} query parameter of {@code /ingest}, parsed by {@link LabelSet} (Pyroscope's
 * rules and messages), with what ingest needs from it: the record key's service and the text
 * formats' profile type.
 */
final class IngestName {
  static final String NAME_LABEL = LabelSet.NAME_LABEL;
  private static final String SESSION_ID = "__session_id__";
  private static final String DELTA = "__delta__";
  private static final String SPY = "pyroscope_spy";
  private static final String APP_NAME = "app_name";
  private static final String PROFILE_TYPE = "<profile type>";

  /**
   * Profile types the legacy text formats (folded, lines, trie, tree) derive from the app name's
   * last suffix.
   */
  private static final Set<String> TEXT_FORMAT_TYPES =
      Set.of(
          "cpu",
          "wall",
          "inuse_objects",
          "inuse_space",
          "alloc_objects",
          "alloc_space",
          "goroutines",
          "mutex_count",
          "mutex_duration",
          "block_count",
          "block_duration",
          "itimer",
          "alloc_in_new_tlab_objects",
          "alloc_in_new_tlab_bytes",
          "alloc_outside_tlab_objects",
          "alloc_outside_tlab_bytes",
          "lock_count",
          "lock_duration",
          "live",
          "exceptions",
          "seconds",
          "nanoseconds",
          "microseconds",
          "milliseconds",
          "bytes");

  private final Map<String, String> labels;
  private final String spyName;

  private IngestName(Map<String, String> labels, String spyName) {
    this.labels = labels;
    this.spyName = spyName == null || spyName.isEmpty() ? "unknown" : spyName;
  }

  /** The labels, {@code __name__} holding the application name. */
  Map<String, String> labels() {
    return labels;
  }

  String appName() {
    return labels.getOrDefault(NAME_LABEL, "");
  }

  /**
   * The service a profile belongs to, for the record key: the {@code service_name} label, else the
   * application name without a profile-type suffix.
   */
  String serviceName() {
    String service = labels.get("service_name");
    if (service != null && !service.isEmpty()) {
      return service;
    }
    String app = appName();
    int dot = app.lastIndexOf('.');
    return dot > 0 && TEXT_FORMAT_TYPES.contains(app.substring(dot + 1))
        ? app.substring(0, dot)
        : app;
  }

  /**
   * For folded, lines, trie and tree bodies Pyroscope takes the profile type from the app name's
   * suffix after the last dot (none means cpu) and refuses an unknown one with 400, unless the name
   * carries a profile_id.
   */
  void checkTextFormatType() {
    if (hasProfileId()) {
      return;
    }
    String app = appName();
    int dot = app.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    String type = app.substring(dot + 1);
    if (!TEXT_FORMAT_TYPES.contains(type)) {
      throw Rejection.invalidArgument(
          "pyroscopeIngesterAdapter failed to convert metadata: unknown profile type: " + type);
    }
  }

  /**
   * Parses a name as Pyroscope does.
   *
   * @throws Rejection 400 with Pyroscope's message ("name: invalid service name: ...") when
   *     Pyroscope refuses it
   */
  static IngestName parse(String name) {
    return parse(name, null);
  }

  /**
   * @param spyName the {@code spyName} query parameter ("unknown" when absent, as Pyroscope reads
   *     it)
   */
  static IngestName parse(String name, String spyName) {
    try {
      return new IngestName(LabelSet.parse(name).labels(), spyName);
    } catch (LabelSet.InvalidNameException e) {
      throw Rejection.invalidArgument("name: " + e.getMessage());
    }
  }

  /**
   * Checks the labels of the series Pyroscope makes of this request, built as its converters build
   * them (text formats: its ingest adapter; pprof: its pprof converter; JFR: jfr-parser's {@code
   * pyroscope.Labels}), with its distributor's label rules ({@link SeriesLabels}): too many labels,
   * a value over 2048 bytes and the like. The profile type is known only after conversion and
   * stands as {@code <profile type>}; speedscope bodies are not checked.
   *
   * @throws Rejection 400 for the text formats, whose push errors Pyroscope answers with their
   *     Connect code, and 422 for the others
   */
  void checkSeriesLabels(IngestDecoder.Format format) {
    if (format == IngestDecoder.Format.SPEEDSCOPE || (format.textual() && hasProfileId())) {
      return; // text bodies with a profile_id are not pushed at all
    }
    String app = appName();
    boolean hasService = labels.containsKey(SeriesLabels.SERVICE_NAME);
    List<LabelPair> named = new ArrayList<>();
    labels.forEach(
        (k, v) -> {
          if (!k.startsWith("__") || SESSION_ID.equals(k)) {
            named.add(label(k, v));
          }
        });
    List<LabelPair> series = new ArrayList<>();
    if (format == IngestDecoder.Format.JFR) {
      series.addAll(named);
      series.addAll(
          List.of(
              label(SPY, spyName),
              label(DELTA, "false"),
              label("jfr_event", PROFILE_TYPE),
              label(NAME_LABEL, PROFILE_TYPE)));
      if (!app.isEmpty()) {
        series.add(label(hasService ? APP_NAME : SeriesLabels.SERVICE_NAME, app));
      }
    } else {
      series.addAll(
          List.of(label(NAME_LABEL, PROFILE_TYPE), label(DELTA, "false"), label(SPY, spyName)));
      if (format.textual()) {
        series.addAll(named);
        if (!hasService) {
          series.add(label(SeriesLabels.SERVICE_NAME, app));
        } else if (!labels.containsKey(APP_NAME)) {
          series.add(label(APP_NAME, app));
        }
      } else {
        if (!hasService) {
          series.add(label(SeriesLabels.SERVICE_NAME, app));
        }
        series.addAll(named);
      }
    }
    try {
      SeriesLabels.validate(series);
    } catch (Rejection e) {
      throw format.textual() ? e : Rejection.unprocessable(Rejection.Reason.LABELS, e.getMessage());
    }
  }

  private boolean hasProfileId() {
    String profileId = labels.get("profile_id");
    return profileId != null && !profileId.isEmpty();
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }
}
