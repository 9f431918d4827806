package io.pyrogate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * pyrogate's build information: the version, the commit it was built from and the build date, read
 * from {@code version.properties}, which the build fills in (resources-filtered). Outside a Maven
 * build the version is "dev"; built from a copy without git history, the commit is "unknown".
 */
public final class Version {
  private static final String UNKNOWN = "unknown";
  private static final Properties BUILD = load();
  private static final String VERSION = value("version", "dev");
  private static final String COMMIT = value("commit", UNKNOWN);
  private static final String BUILD_DATE = value("buildDate", UNKNOWN);

  private Version() {}

  /** The version, e.g. 0.1.0. */
  public static String get() {
    return VERSION;
  }

  /** The abbreviated git commit pyrogate was built from, or "unknown". */
  public static String commit() {
    return COMMIT;
  }

  /** When pyrogate was built, in UTC (RFC 3339), or "unknown". */
  public static String buildDate() {
    return BUILD_DATE;
  }

  /** "0.1.0 (commit abc1234, built 2026-12-07T06:00:00Z)", as {@code pyrogate version} prints. */
  public static String describe() {
    return VERSION + " (commit " + COMMIT + ", built " + BUILD_DATE + ")";
  }

  /** The User-Agent pyrogate sends to endpoints. */
  public static String userAgent() {
    return "pyrogate/" + VERSION;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // no build information: the defaults stand
    }
    return p;
  }

  /** The build's value of {@code key}; {@code absent} when the build left it unset. */
  private static String value(String key, String absent) {
    String v = BUILD.getProperty(key, "");
    return v.isEmpty() || v.startsWith("${") ? absent : v;
  }
}
