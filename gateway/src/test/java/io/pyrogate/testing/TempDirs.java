package io.pyrogate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for gateways that outlive one test method; all are deleted when the test
 * JVM exits.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  private TempDirs() {}

  public static synchronized Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      if (CREATED.isEmpty()) {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "test-temp-dirs"));
      }
      CREATED.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized void deleteAll() {
    CREATED.forEach(TempDirs::delete);
  }

  /** Deletes {@code dir} and everything in it, as far as it can; for use at exit. */
  public static void delete(Path dir) {
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // already gone or unreadable: nothing more to do at exit
    }
  }
}
