package io.pyrogate.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * A relabel rule's regular expression as Prometheus compiles it ({@code model/relabel.NewRegexp}):
 * Go's RE2 syntax and semantics (re2j), anchored as {@code ^(?s:...)$} so it must match a whole
 * value, with Go's {@code Regexp.Expand} for {@code $1}, {@code ${1}}, {@code $name} and {@code
 * ${name}} in templates. Immutable and safe to share between threads.
 */
public final class RelabelRegex {
  private final String source;
  private final Pattern pattern;
  private final Map<String, Integer> names;

  private RelabelRegex(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
    this.names = pattern.namedGroups();
  }

  /**
   * @throws IllegalArgumentException with Go's message, e.g. {@code error parsing regexp: missing
   *     closing ): `^(?s:(a)$`}, when the expression does not compile
   */
  public static RelabelRegex compile(String source) {
    try {
      return new RelabelRegex(source, Pattern.compile("^(?s:" + source + ")$"));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The expression as written, without the anchoring. */
  public String source() {
    return source;
  }

  public boolean matches(String value) {
    return pattern.matcher(value).find();
  }

  /**
   * Go's {@code FindStringSubmatchIndex} then {@code ExpandString}: the template expanded with the
   * match of {@code value}, or null when it does not match.
   */
  public String expand(String template, String value) {
    Matcher m = pattern.matcher(value);
    return m.find() ? expand(template, value, m) : null;
  }

  /**
   * Go's {@code Regexp.expand}: {@code $$} is a {@code $}; {@code $name} takes the longest run of
   * letters, digits and {@code _} ({@code $1x} is {@code ${1x}}); a number is a group index, other
   * names are named groups; an unknown or unmatched group is empty; a malformed {@code $} is
   * written as it is.
   */
  private String expand(String template, String value, Matcher m) {
    StringBuilder out = new StringBuilder(template.length() + value.length());
    int i = 0;
    int n = template.length();
    while (i < n) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < n && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int start = brace ? i + 1 : i;
      int end = start;
      while (end < n) {
        int c = template.codePointAt(end);
        if (!Character.isLetter(c) && !Character.isDigit(c) && c != '_') {
          break;
        }
        end += Character.charCount(c);
      }
      if (end == start || (brace && (end >= n || template.charAt(end) != '}'))) {
        out.append('$');
        continue;
      }
      String name = template.substring(start, end);
      i = brace ? end + 1 : end;
      int group = groupIndex(name);
      if (group >= 0 && group <= m.groupCount() && m.start(group) >= 0) {
        out.append(value, m.start(group), m.end(group));
      }
    }
    return out.append(template, i, n).toString();
  }

  /** The group a name refers to: a number without leading zeros, else a named group; -1 if none. */
  private int groupIndex(String name) {
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      num = -1;
    }
    if (num >= 0) {
      return num;
    }
    Integer named = names.get(name);
    return named == null ? -1 : named;
  }

  @Override
  public String toString() {
    return source;
  }
}
