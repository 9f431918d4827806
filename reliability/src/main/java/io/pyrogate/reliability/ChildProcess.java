package io.pyrogate.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the suite starts (pyrogate, a standalone broker), restartable with the same command: each
 * start writes its output to {@code NAME-N.log} and its pid to {@code NAME.pid} (which {@code
 * scripts/reliability} kills if this JVM is killed itself). Stops by SIGKILL or SIGTERM, timed.
 */
public final class ChildProcess implements AutoCloseable {
  /**
   * How a stop went: the exit code (-1 when it had to be killed after the deadline) and how long it
   * took.
   */
  public record Stop(int exitCode, long millis) {}

  private final Path dir;
  private final String name;
  private final List<String> command;
  private final List<Path> logs = new ArrayList<>();
  private Process process;

  ChildProcess(Path dir, String name, List<String> command) {
    this.dir = dir;
    this.name = name;
    this.command = List.copyOf(command);
  }

  /** The java binary of this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts the command (again), its output in a new log file. */
  public synchronized ChildProcess start() {
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve(name + "-" + (logs.size() + 1) + ".log");
      logs.add(log);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Files.writeString(dir.resolve(name + ".pid"), Long.toString(process.pid()));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The exit code of the last start, or null while it runs. */
  public synchronized Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  /** kill -9, and waits until it is gone. */
  public synchronized void kill9() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM, then waits up to {@code deadline}; kills it with SIGKILL when it is still running
   * then.
   */
  public synchronized Stop sigterm(Duration deadline) {
    long t0 = System.nanoTime();
    process.destroy();
    try {
      if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Stop(process.exitValue(), (System.nanoTime() - t0) / 1_000_000);
      }
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return new Stop(-1, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Waits up to {@code max} for the process to exit by itself; its exit code, or null when it still
   * runs.
   */
  public Integer awaitExit(Duration max) {
    Process p;
    synchronized (this) {
      p = process;
    }
    try {
      return p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The output of every start so far, in order. */
  public String output() {
    StringBuilder b = new StringBuilder();
    for (Path log : List.copyOf(logs)) {
      try {
        b.append(Files.readString(log, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        b.append("(cannot read ").append(log).append(")\n");
      }
    }
    return b.toString();
  }

  /** The output of the last start. */
  public String lastOutput() {
    try {
      return logs.isEmpty()
          ? ""
          : Files.readString(logs.get(logs.size() - 1), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  public Path lastLog() {
    return logs.isEmpty() ? dir.resolve(name + ".log") : logs.get(logs.size() - 1);
  }

  /** SIGTERM with 30 s to stop, then SIGKILL. */
  @Override
  public synchronized void close() {
    if (alive()) {
      sigterm(Duration.ofSeconds(30));
    }
    try {
      Files.deleteIfExists(dir.resolve(name + ".pid"));
    } catch (IOException e) {
      // the script's clean-up skips pids that are gone
    }
  }
}
