package io.pyrogate.pyroscope;

import io.pyrogate.golang.EscapeError;
import io.pyrogate.golang.Url;

/**
 * Rewrites the {@code name} parameter of an {@code /ingest} query string and nothing else: every
 * other parameter stays byte for byte as received; the new {@code name} takes the place of the
 * first one and other {@code name} parameters are removed, as Go's {@code Values.Set} does.
 */
public final class IngestQuery {
  private IngestQuery() {}

  /**
   * @param name the new name, e.g. {@code app.cpu{env=prod}}, unescaped
   */
  public static String withName(String rawQuery, String name) {
    String pairWithName = "name=" + Url.queryEscape(name);
    if (rawQuery == null || rawQuery.isEmpty()) {
      return pairWithName;
    }
    StringBuilder out = new StringBuilder(rawQuery.length() + pairWithName.length());
    boolean replaced = false;
    boolean first = true;
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (isKey(eq < 0 ? pair : pair.substring(0, eq), "name")) {
        if (replaced) {
          continue;
        }
        replaced = true;
        pair = pairWithName;
      }
      if (!first) {
        out.append('&');
      }
      first = false;
      out.append(pair);
    }
    if (!replaced) {
      out.append('&').append(pairWithName);
    }
    return out.toString();
  }

  /**
   * Whether the escaped key of a query pair reads as {@code key}; a malformed one reads as no key.
   */
  private static boolean isKey(String escaped, String key) {
    try {
      return key.equals(Url.queryUnescape(escaped));
    } catch (EscapeError e) {
      return false;
    }
  }
}
