package io.pyrogate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Command-line tools a test runs (promtool, kubectl): whether one is installed, and running one to
 * its end.
 */
public final class Commands {
  private Commands() {}

  /** Whether {@code program} is an executable in a directory of the PATH. */
  public static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a command to its end (at most 60 s); its standard output and error, or a failed assertion
   * with them when it exits non-zero.
   */
  public static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertSucceeded(p, command, output);
    return output;
  }

  /**
   * Runs a command to its end (at most 60 s); its standard output alone (for output that is parsed,
   * which a warning on standard error must not break), or a failed assertion with its standard
   * error when it exits non-zero.
   */
  public static String stdout(String... command) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("command", ".stderr");
    try {
      Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertSucceeded(p, command, Files.readString(errors));
      return output;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /** Waits for the command's end (at most 60 s) and asserts it exited 0, showing {@code output}. */
  private static void assertSucceeded(Process p, String[] command, String output)
      throws InterruptedException {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", List.of(command), output).isZero();
  }
}
