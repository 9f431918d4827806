package io.pyrogate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command that starts a child JVM (a pyrogate process) for a test: this JVM's java, through
 * {@code env --default-signal} where coreutils has it (8.31 and later), so that the child handles
 * SIGHUP, SIGINT and SIGTERM as a service would even when the test run itself was started with them
 * ignored (under nohup, or as a background job of a script), which children otherwise inherit.
 */
public final class ChildJava {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final List<String> RESET = List.of("env", "--default-signal=HUP,INT,TERM");
  private static final boolean CAN_RESET = canReset();

  private ChildJava() {}

  /** The start of the command line: {@code [env --default-signal=HUP,INT,TERM] java}. */
  public static List<String> command() {
    return CAN_RESET ? List.of(RESET.get(0), RESET.get(1), JAVA) : List.of(JAVA);
  }

  /** Whether the children get the default signal handling whatever this JVM's is. */
  public static boolean resetsSignals() {
    return CAN_RESET;
  }

  private static boolean canReset() {
    try {
      Process p =
          new ProcessBuilder(RESET.get(0), RESET.get(1), "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
