package io.pyrogate.relabel;

import com.google.re2j.Pattern;
import io.pyrogate.golang.Utf8;

/**
 * The label name rules relabeling checks, as prometheus/common and Prometheus' relabel define them.
 */
final class LabelNames {
  /**
   * Prometheus' {@code relabelTargetLegacy}: a legacy name in which {@code $var} and {@code ${var}}
   * may stand for characters.
   */
  private static final Pattern TARGET_WITH_VARIABLES =
      Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  private LabelNames() {}

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*}: what a replace rule may write to at run time. */
  static boolean isLegacy(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (c >= '0' && c <= '9' && i > 0);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code model.LabelName.IsValid} as Alloy's configuration checks it: UTF-8 names, so any
   * non-empty valid text.
   */
  static boolean isValid(String name) {
    return !name.isEmpty() && Utf8.validString(name);
  }

  static boolean isTargetWithVariables(String name) {
    return TARGET_WITH_VARIABLES.matcher(name).find();
  }
}
