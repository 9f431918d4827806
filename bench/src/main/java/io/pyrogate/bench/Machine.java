package io.pyrogate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the reports say about the machine, read from /proc. */
public final class Machine {
  private Machine() {}

  public static String cpuModel() {
    return field(Path.of("/proc/cpuinfo"), "model name");
  }

  public static String memTotal() {
    String kb = field(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", "");
    return kb.isEmpty()
        ? "unknown"
        : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1048576.0);
  }

  /** The one-minute load average, from /proc/loadavg (-1 when unknown). */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String field(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name)) {
          int colon = line.indexOf(':');
          return colon < 0 ? "unknown" : line.substring(colon + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
