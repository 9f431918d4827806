package io.pyrogate.pyroscope;

import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Strings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label set of the legacy {@code /ingest} {@code name} parameter, {@code
 * app.name{key=value,...}}, as Pyroscope's {@code labelset} package reads and writes it. {@link
 * #parse} refuses exactly the names Pyroscope refuses, with the same messages: the application name
 * may hold {@code [A-Za-z0-9_.\-/]}, label keys {@code [A-Za-z0-9_.]}; keys and values are trimmed;
 * nothing is escaped, so a value cannot contain {@code ,} or {@code }}. Used by ingest (to
 * validate) and by delivery (to apply {@code external_labels}).
 */
public final class LabelSet {
  public static final String NAME_LABEL = "__name__";

  /** A name Pyroscope refuses; the message is Pyroscope's, without its {@code "name: "} prefix. */
  public static final class InvalidNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidNameException(String message) {
      super(message);
    }
  }

  private final Map<String, String> labels;

  private LabelSet(Map<String, String> labels) {
    this.labels = labels;
  }

  /** The labels in the order they were read, {@code __name__} (the application name) first. */
  public Map<String, String> labels() {
    return Collections.unmodifiableMap(labels);
  }

  /**
   * Parses a name as Pyroscope's {@code labelset.Parse} does.
   *
   * @throws InvalidNameException when Pyroscope refuses it
   */
  public static LabelSet parse(String name) {
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
          String app = Strings.trimSpace(value.toString());
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
          String k = Strings.trimSpace(key.toString());
          if (!NAME_LABEL.equals(k)) {
            validateLabelName(k);
          }
          labels.put(k, Strings.trimSpace(value.toString()));
          key.setLength(0);
        } else {
          value.appendCodePoint(c);
        }
      }
    }
    return new LabelSet(labels);
  }

  /**
   * Pyroscope's {@code LabelSet.Normalized}: the {@code __name__} value, then every other label
   * sorted by key in braces, {@code app{k1=v1,k2=v2}}, with nothing quoted or escaped ({@code
   * app{}} when there are none).
   */
  public static String normalized(Map<String, String> labels) {
    StringBuilder out = new StringBuilder(labels.getOrDefault(NAME_LABEL, "")).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (e.getKey().equals(NAME_LABEL)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(e.getKey()).append('=').append(e.getValue());
    }
    return out.append('}').toString();
  }

  private static void validateAppName(String app) {
    if (app.isEmpty()) {
      throw new InvalidNameException("service name is required");
    }
    app.codePoints()
        .filter(c -> !appNameChar(c))
        .findFirst()
        .ifPresent(
            c -> {
              throw new InvalidNameException(
                  "invalid service name: "
                      + app
                      + ": character is not allowed: "
                      + Strconv.quoteRune(c));
            });
  }

  private static void validateLabelName(String k) {
    if (k.isEmpty()) {
      throw new InvalidNameException("label name is required");
    }
    k.codePoints()
        .filter(c -> !labelNameChar(c))
        .findFirst()
        .ifPresent(
            c -> {
              throw new InvalidNameException(
                  "invalid label name: "
                      + k
                      + ": character is not allowed: "
                      + Strconv.quoteRune(c));
            });
  }

  static boolean labelNameChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.';
  }

  private static boolean appNameChar(int c) {
    return c == '-' || c == '/' || labelNameChar(c);
  }
}
