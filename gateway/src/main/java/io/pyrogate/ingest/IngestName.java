package io.pyrogate.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code name} query parameter of {@code /ingest}: {@code app.name{key=value,...}}, read with the rules of
 * Pyroscope's {@code labelset.Parse} so that pyrogate refuses exactly the names Pyroscope refuses, with the same
 * messages. The application name may hold {@code [A-Za-z0-9_.\-/]}, label keys {@code [A-Za-z0-9_.]}; keys and
 * values are trimmed; nothing is escaped, so a value cannot contain {@code ,} or {@code }}.
 */
final class IngestName {
  static final String NAME_LABEL = "__name__";

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
    Map<String, String> labels = new LinkedHashMap<>();
    StringBuilder key = new StringBuilder();
    StringBuilder value = new StringBuilder();
    int state = 0; // 0 app name, 1 label key, 2 label value, 3 done
    String input = (name == null ? "" : name) + "{";
    for (int i = 0; i < input.length(); ) {
      int c = input.codePointAt(i);
      i += Character.charCount(c);
      if (state == 0) {
        if (c == '{') {
          state = 1;
          String app = GoText.trimSpace(value.toString());
          validateAppName(app);
          labels.put(NAME_LABEL, app);
        } else {
          value.appendCodePoint(c);
        }
      } else if (state == 1) {
        if (c == '}') {
          state = 3;
        } else if (c == '=') {
          state = 2;
          value.setLength(0);
        } else {
          key.appendCodePoint(c);
        }
      } else if (state == 2) {
        if (c == ',' || c == '}') {
          state = 1;
          String k = GoText.trimSpace(key.toString());
          if (!NAME_LABEL.equals(k)) {
            validateLabelName(k);
          }
          labels.put(k, GoText.trimSpace(value.toString()));
          key.setLength(0);
        } else {
          value.appendCodePoint(c);
        }
      }
    }
    return new IngestName(labels);
  }

  private static void validateAppName(String app) {
    if (app.isEmpty()) {
      throw bad("service name is required");
    }
    app.codePoints().filter(c -> !appNameChar(c)).findFirst().ifPresent(c -> {
      throw bad("invalid service name: " + app + ": character is not allowed: " + GoText.quoteRune(c));
    });
  }

  private static void validateLabelName(String k) {
    if (k.isEmpty()) {
      throw bad("label name is required");
    }
    k.codePoints().filter(c -> !labelNameChar(c)).findFirst().ifPresent(c -> {
      throw bad("invalid label name: " + k + ": character is not allowed: " + GoText.quoteRune(c));
    });
  }

  private static boolean labelNameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  }

  private static boolean appNameChar(int c) {
    return c == '-' || c == '/' || labelNameChar(c);
  }

  private static Rejection bad(String message) {
    return Rejection.invalidArgument("name: " + message);
  }
}
