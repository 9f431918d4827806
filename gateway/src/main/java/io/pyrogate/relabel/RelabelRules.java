package io.pyrogate.relabel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * A list of relabel rules applied in order to a label set, with the semantics of Prometheus' {@code
 * model/relabel.ProcessBuilder} as Alloy's {@code pyroscope.relabel} runs it (legacy label name
 * validation for the targets a replace rule computes). Immutable and safe to share between threads;
 * the rules are checked when the configuration is loaded, so every rule here is valid.
 */
public final class RelabelRules {
  private final List<Compiled> rules;

  private record Compiled(RelabelRule rule, RelabelRegex regex) {}

  private RelabelRules(List<Compiled> rules) {
    this.rules = rules;
  }

  /**
   * @throws IllegalArgumentException when a rule's regex does not compile
   */
  public static RelabelRules of(List<RelabelRule> rules) {
    List<Compiled> compiled = new ArrayList<>(rules.size());
    for (RelabelRule r : rules) {
      compiled.add(new Compiled(r, RelabelRegex.compile(r.regex())));
    }
    return new RelabelRules(List.copyOf(compiled));
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Applies every rule in order.
   *
   * @return the resulting labels sorted by name, or null when a rule drops the profile
   */
  public SortedMap<String, String> process(Map<String, String> labels) {
    LabelBuilder lb = LabelBuilder.of(labels);
    for (Compiled c : rules) {
      if (!apply(c.rule(), c.regex(), lb)) {
        return null;
      }
    }
    return lb.labels();
  }

  /** One rule; false when it drops the profile. */
  private static boolean apply(RelabelRule rule, RelabelRegex regex, LabelBuilder lb) {
    List<String> sources = rule.sources();
    List<String> values = new ArrayList<>(sources.size());
    for (String name : sources) {
      values.add(lb.get(name));
    }
    String val = String.join(rule.separator(), values);
    switch (rule.action()) {
      case DROP -> {
        return !regex.matches(val);
      }
      case KEEP -> {
        return regex.matches(val);
      }
      case DROPEQUAL -> {
        return !lb.get(rule.targetLabel()).equals(val);
      }
      case KEEPEQUAL -> {
        return lb.get(rule.targetLabel()).equals(val);
      }
      case REPLACE -> replace(rule, regex, val, lb);
      case LOWERCASE -> lb.set(rule.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> lb.set(rule.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> lb.set(rule.targetLabel(), hashmod(val, rule.modulus()));
      case LABELMAP ->
          lb.forEach(
              (name, value) -> {
                String mapped = regex.expand(rule.replacement(), name);
                if (mapped != null) {
                  lb.set(mapped, value);
                }
              });
      case LABELDROP ->
          lb.forEach(
              (name, value) -> {
                if (regex.matches(name)) {
                  lb.delete(name);
                }
              });
      case LABELKEEP ->
          lb.forEach(
              (name, value) -> {
                if (!regex.matches(name)) {
                  lb.delete(name);
                }
              });
    }
    return true;
  }

  /**
   * No match, or a computed target that is not a legacy label name, changes nothing; an empty
   * replacement deletes the target.
   */
  private static void replace(RelabelRule rule, RelabelRegex regex, String val, LabelBuilder lb) {
    String target = regex.expand(rule.targetLabel(), val);
    if (target == null || !LabelNames.isLegacy(target)) {
      return;
    }
    String replacement = regex.expand(rule.replacement(), val);
    if (replacement.isEmpty()) {
      lb.delete(target);
    } else {
      lb.set(target, replacement);
    }
  }

  /**
   * The md5 of the value, its last 8 bytes read as a big-endian unsigned number, modulo {@code
   * modulus} (Prometheus keeps the last 8 bytes to give the results of its earlier versions).
   */
  static String hashmod(String value, long modulus) {
    byte[] md5;
    try {
      md5 = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
    long last8 = ByteBuffer.wrap(md5, 8, 8).getLong();
    return Long.toUnsignedString(Long.remainderUnsigned(last8, modulus));
  }
}
