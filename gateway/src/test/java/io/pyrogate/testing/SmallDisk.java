package io.pyrogate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a temporary directory, to fill a disk for real and free it again. Needs
 * root and {@code mount}; a test using it is skipped, saying why, where it cannot mount.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /**
   * Mounts a tmpfs of {@code megabytes}, or skips the calling test when that is not possible here.
   */
  public static SmallDisk mountOrSkip(int megabytes) {
    Path dir = TempDirs.create("pyrogate-small-disk");
    String result =
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
    Assumptions.assumeTrue(
        result.isEmpty(), "needs a tmpfs mount to fill a disk (run as root with mount): " + result);
    return new SmallDisk(dir);
  }

  public Path path() {
    return mountPoint;
  }

  /** Writes a file until the disk has no space left. */
  public void fill() {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // ENOSPC: the disk is full
    }
  }

  /** Deletes what {@link #fill} wrote. */
  public void free() {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unmounts (lazily, as a broker may still hold files there). */
  @Override
  public void close() {
    run("umount", "-l", mountPoint.toString());
  }

  /** Runs a command; returns empty when it succeeded, else what it printed. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish";
      }
      return p.exitValue() == 0
          ? ""
          : String.join(" ", command) + " failed (" + p.exitValue() + "): " + out;
    } catch (IOException e) {
      return String.join(" ", command) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
