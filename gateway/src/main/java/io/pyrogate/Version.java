package io.pyrogate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** pyrogate's version, from the build. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  /** The User-Agent pyrogate sends to endpoints. */
  public static String userAgent() {
    return "pyrogate/" + VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
