package io.pyrogate.relabel;

import java.util.List;

/**
 * One {@code rule} block of a {@code pyroscope.relabel} component, as Alloy's {@code
 * internal/component/common/relabel.Config} holds it, with its defaults.
 *
 * @param sourceLabels the labels whose values are joined; null when the attribute is not set (which
 *     labeldrop and labelkeep require)
 * @param regex the expression as written, without the {@code ^(?s:...)$} anchoring added when it is
 *     compiled
 * @param modulus hashmod's modulus (an unsigned 64-bit number in Alloy); 0 when not set
 */
public record RelabelRule(
    List<String> sourceLabels,
    String separator,
    String regex,
    long modulus,
    String targetLabel,
    String replacement,
    Action action) {
  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REGEX = "(.*)";
  public static final String DEFAULT_REPLACEMENT = "$1";

  public RelabelRule {
    sourceLabels = sourceLabels == null ? null : List.copyOf(sourceLabels);
  }

  /** The source labels, none when not set. */
  public List<String> sources() {
    return sourceLabels == null ? List.of() : sourceLabels;
  }

  /** The relabeling actions of Prometheus, by the names a rule's {@code action} takes. */
  public enum Action {
    REPLACE("replace"),
    KEEP("keep"),
    DROP("drop"),
    HASHMOD("hashmod"),
    LABELMAP("labelmap"),
    LABELDROP("labeldrop"),
    LABELKEEP("labelkeep"),
    LOWERCASE("lowercase"),
    UPPERCASE("uppercase"),
    KEEPEQUAL("keepequal"),
    DROPEQUAL("dropequal");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    /** The action named {@code name} exactly (Alloy does not fold case); null when none is. */
    public static Action of(String name) {
      for (Action a : values()) {
        if (a.wire.equals(name)) {
          return a;
        }
      }
      return null;
    }
  }
}
