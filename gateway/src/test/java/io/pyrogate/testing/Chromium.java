package io.pyrogate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, as a real browser for tests: it loads a page, runs its
 * scripts for a while of virtual time, and gives the DOM as it is then, or a screenshot. Each run
 * has a profile directory of its own, so runs never share state.
 */
public final class Chromium {
  private static final long RUN_TIMEOUT_S = 90;

  /** How long (virtual time) the page's scripts run before the DOM is read. */
  private static final int SCRIPT_BUDGET_MS = 5_000;

  private static volatile Optional<String> unavailable;

  private Chromium() {}

  /**
   * Why no browser test can run here (no {@code chromium} on the PATH, or it cannot start), or
   * empty when it can. Checked once.
   */
  public static synchronized Optional<String> unavailable() {
    if (unavailable == null) {
      unavailable = check();
    }
    return unavailable;
  }

  private static Optional<String> check() {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean found =
        List.of(path.split(File.pathSeparator)).stream()
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "chromium")));
    if (!found) {
      return Optional.of(
          "chromium is not on the PATH (scripts/test installs Debian's chromium when run as root)");
    }
    try {
      String dom = dumpDom("data:text/html,<p>ok</p>");
      return dom.contains("<p>ok</p>")
          ? Optional.empty()
          : Optional.of("chromium started but rendered no page: " + dom);
    } catch (RuntimeException e) {
      return Optional.of("chromium cannot start: " + e.getMessage());
    }
  }

  /** The DOM of {@code url} after its scripts ran for {@link #SCRIPT_BUDGET_MS} of virtual time. */
  public static String dumpDom(String url) {
    return run(List.of("--virtual-time-budget=" + SCRIPT_BUDGET_MS, "--dump-dom", url));
  }

  /** A PNG of {@code url} at {@code width} × {@code height} CSS pixels, once its scripts ran. */
  public static void screenshot(String url, Path png, int width, int height) {
    run(
        List.of(
            "--virtual-time-budget=" + SCRIPT_BUDGET_MS,
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png.toAbsolutePath(),
            url));
    if (!Files.isRegularFile(png)) {
      throw new IllegalStateException("chromium wrote no screenshot to " + png);
    }
  }

  private static String run(List<String> args) {
    Path profile = TempDirs.create("chromium-profile");
    List<String> command = new ArrayList<>();
    command.add("chromium");
    command.add("--headless");
    command.add("--no-sandbox");
    command.add("--disable-gpu");
    command.add("--no-first-run");
    command.add("--user-data-dir=" + profile);
    command.addAll(args);
    try {
      Path out = Files.createTempFile(profile, "stdout", ".html");
      Path err = Files.createTempFile(profile, "stderr", ".txt");
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("chromium did not finish within " + RUN_TIMEOUT_S + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "chromium exited with "
                + p.exitValue()
                + ": "
                + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run chromium: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
