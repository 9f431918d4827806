package io.pyrogate.config;

/**
 * How a receiving component's {@code forward_to} targets are spelled once resolved: a {@code
 * pyroscope.write}'s label ({@code "staging"}), or a {@code pyroscope.relabel}'s component id
 * ({@code "pyroscope.relabel.filter"}). Labels are identifiers, so the two never clash.
 */
public final class ForwardTarget {
  public static final String WRITE = "pyroscope.write.";
  public static final String RELABEL = "pyroscope.relabel.";

  private ForwardTarget() {}

  /** The target that is the receiver of {@code pyroscope.relabel.LABEL}. */
  public static String relabel(String label) {
    return RELABEL + label;
  }

  public static boolean isRelabel(String target) {
    return target.startsWith(RELABEL);
  }

  /** The label of the write or relabel component the target names. */
  public static String label(String target) {
    return isRelabel(target) ? target.substring(RELABEL.length()) : target;
  }

  /** The component id of the target, e.g. {@code pyroscope.write.staging}. */
  public static String componentId(String target) {
    return isRelabel(target) ? target : WRITE + target;
  }
}
