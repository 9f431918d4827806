package io.pyrogate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The signals pyrogate acts on that it was started with ignored. A process inherits ignored signals
 * from its parent ({@code nohup} ignores SIGHUP; a non-interactive shell's background job ignores
 * SIGINT), and the JVM then leaves them ignored: Java cannot handle such a signal. So pyrogate says
 * at start which of its signals will have no effect, instead of a SIGHUP reload or a SIGTERM stop
 * silently doing nothing. Read from Linux's {@code /proc/self/status}; elsewhere none is reported.
 */
final class IgnoredSignals {
  static final String SIGHUP = "SIGHUP (reload the configuration)";
  static final String SIGINT = "SIGINT (stop)";
  static final String SIGTERM = "SIGTERM (stop)";

  /** The signals pyrogate handles, by number, with what each would have done. */
  private static final Map<Integer, String> HANDLED = Map.of(1, SIGHUP, 2, SIGINT, 15, SIGTERM);

  private IgnoredSignals() {}

  /** The handled signals this process ignores, with what each would have done; empty if unknown. */
  static List<String> ofThisProcess() {
    Path status = Path.of("/proc/self/status");
    try {
      return Files.isReadable(status) ? in(Files.readString(status)) : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The handled signals that the {@code SigIgn:} mask of a {@code /proc/PID/status} text holds. */
  static List<String> in(String procStatus) {
    long mask = 0;
    for (String line : procStatus.split("\n")) {
      if (line.startsWith("SigIgn:")) {
        mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
      }
    }
    List<String> ignored = new ArrayList<>();
    for (int signal : new int[] {1, 2, 15}) {
      if ((mask & (1L << (signal - 1))) != 0) {
        ignored.add(HANDLED.get(signal));
      }
    }
    return ignored;
  }
}
