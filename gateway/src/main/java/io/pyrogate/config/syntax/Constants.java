package io.pyrogate.config.syntax;

import io.pyrogate.Version;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Alloy's {@code constants} object: {@code constants.hostname}, {@code constants.os} and {@code
 * constants.arch} (Go's GOOS and GOARCH names) and {@code constants.version}.
 */
final class Constants {
  static final String NAME = "constants";
  static final String AVAILABLE =
      "constants.hostname, constants.os, constants.arch, constants.version";
  private static final String VERSION = alloyVersion(Version.get());

  private Constants() {}

  /** The constants, every value at {@code at}. */
  static ObjectValue object(String hostname, Position at) {
    LinkedHashMap<String, Value> m = new LinkedHashMap<>();
    m.put("hostname", new StringValue(hostname, at));
    m.put("os", new StringValue(goOs(System.getProperty("os.name")), at));
    m.put("arch", new StringValue(goArch(System.getProperty("os.arch")), at));
    m.put("version", new StringValue(VERSION, at));
    return new ObjectValue(m, at);
  }

  /** The build's version as Alloy shows its own ("v1.2.3"); "unknown" for a build that has none. */
  static String alloyVersion(String version) {
    if (version.isBlank() || version.equals("dev") || version.startsWith("${")) {
      return "unknown";
    }
    return version.startsWith("v") ? version : "v" + version;
  }

  /** Go's GOOS name for a Java {@code os.name}. */
  static String goOs(String osName) {
    String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (n.contains("linux")) {
      return "linux";
    } else if (n.contains("mac") || n.contains("darwin")) {
      return "darwin";
    } else if (n.contains("windows")) {
      return "windows";
    } else if (n.contains("freebsd")) {
      return "freebsd";
    } else if (n.contains("openbsd")) {
      return "openbsd";
    } else if (n.contains("netbsd")) {
      return "netbsd";
    } else if (n.contains("sunos") || n.contains("solaris")) {
      return "solaris";
    } else if (n.contains("aix")) {
      return "aix";
    }
    return n.replace(" ", "");
  }

  /** Go's GOARCH name for a Java {@code os.arch}. */
  static String goArch(String osArch) {
    String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
    switch (a) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "386";
      case "ppc64le":
      case "ppc64":
      case "s390x":
      case "riscv64":
      case "arm":
      case "mips64":
      case "mips64el":
      case "loong64":
        return a;
      default:
        return a.startsWith("arm") ? "arm" : a;
    }
  }
}
