package io.pyrogate.ingest;

import java.util.Map;
import java.util.Set;

import io.pyrogate.pyroscope.LabelSet;

/**
 * The {@code name} query parameter of {@code /ingest}, parsed by {@link LabelSet} (Pyroscope's rules and messages),
 * with what ingest needs from it: the record key's service and the text formats' profile type.
 */
final class IngestName {
  static final String NAME_LABEL = LabelSet.NAME_LABEL;

  /** Profile types the legacy text formats (folded, lines, trie, tree) derive from the app name's last suffix. */
  private static final Set<String> TEXT_FORMAT_TYPES = Set.of("cpu", "wall", "inuse_objects", "inuse_space",
      "alloc_objects", "alloc_space", "goroutines", "mutex_count", "mutex_duration", "block_count", "block_duration",
      "itimer", "alloc_in_new_tlab_objects", "alloc_in_new_tlab_bytes", "alloc_outside_tlab_objects",
      "alloc_outside_tlab_bytes", "lock_count", "lock_duration", "live", "exceptions", "seconds", "nanoseconds",
      "microseconds", "milliseconds", "bytes");

  private final Map<String, String> labels;

  private IngestName(Map<String, String> labels) {
    this.labels = labels;
  }

  /** The labels, {@code __name__} holding the application name. */
  Map<String, String> labels() {
    return labels;
  }

  String appName() {
    return labels.getOrDefault(NAME_LABEL, "");
  }

  /**
   * The service a profile belongs to, for the record key: the {@code service_name} label, else the application
   * name without a profile-type suffix.
   */
  String serviceName() {
    String service = labels.get("service_name");
    if (service != null && !service.isEmpty()) {
      return service;
    }
    String app = appName();
    int dot = app.lastIndexOf('.');
    return dot > 0 && TEXT_FORMAT_TYPES.contains(app.substring(dot + 1)) ? app.substring(0, dot) : app;
  }

  /**
   * For folded, lines, trie and tree bodies Pyroscope takes the profile type from the app name's suffix after the
   * last dot (none means cpu) and refuses an unknown one with 400, unless the name carries a profile_id.
   */
  void checkTextFormatType() {
    String profileId = labels.get("profile_id");
    if (profileId != null && !profileId.isEmpty()) {
      return;
    }
    String app = appName();
    int dot = app.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    String type = app.substring(dot + 1);
    if (!TEXT_FORMAT_TYPES.contains(type)) {
      throw Rejection.invalidArgument("pyroscopeIngesterAdapter failed to convert metadata: unknown profile type: " + type);
    }
  }

  /**
   * Parses a name as Pyroscope does.
   *
   * @throws Rejection 400 with Pyroscope's message ("name: invalid service name: ...") when Pyroscope refuses it
   */
  static IngestName parse(String name) {
    try {
      return new IngestName(LabelSet.parse(name).labels());
    } catch (LabelSet.InvalidNameException e) {
      throw Rejection.invalidArgument("name: " + e.getMessage());
    }
  }
}
