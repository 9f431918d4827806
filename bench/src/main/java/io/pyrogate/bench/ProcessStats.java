package io.pyrogate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a pyrogate process as the benchmarks and the reliability suite report it: RSS from
 * /proc/PID/status and heap from its own /metrics (the JVM's memory MXBeans through Micrometer),
 * which costs the process nothing compared with starting a jcmd JVM.
 */
public final class ProcessStats {
  /** HTTP/1.1: no h2c upgrade attempt on a plain-HTTP scrape. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static final Pattern HEAP =
      Pattern.compile("^jvm_memory_used_bytes\\{([^}]*)}\\s+([0-9.eE+]+)", Pattern.MULTILINE);
  private static final Pattern LIVE =
      Pattern.compile(
          "^jvm_gc_live_data_size_bytes(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);

  private static final Pattern GC_PAUSE =
      Pattern.compile("^jvm_gc_pause_seconds_sum(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);

  private ProcessStats() {}

  /** Resident set size in bytes, from /proc/PID/status (-1 when unknown). */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Heap used (the sum of the heap pools) and the old generation's size after the last GC ({@code
   * jvm_gc_live_data_size_bytes}, what survives collections), read from the /metrics of the
   * management server on 127.0.0.1:{@code managementPort}; both -1 when unknown.
   */
  public static long[] heap(int managementPort) {
    String metrics = scrape(managementPort);
    if (metrics == null) {
      return new long[] {-1, -1};
    }
    Matcher m = HEAP.matcher(metrics);
    double sum = 0;
    boolean any = false;
    while (m.find()) {
      if (m.group(1).contains("area=\"heap\"")) {
        sum += Double.parseDouble(m.group(2));
        any = true;
      }
    }
    Matcher live = LIVE.matcher(metrics);
    return new long[] {
      any ? (long) sum : -1, live.find() ? (long) Double.parseDouble(live.group(1)) : -1
    };
  }

  /**
   * Seconds spent in GC pauses so far, summed over the collectors ({@code
   * jvm_gc_pause_seconds_sum}); NaN when unknown.
   */
  public static double gcPauseSeconds(int managementPort) {
    String metrics = scrape(managementPort);
    if (metrics == null) {
      return Double.NaN;
    }
    Matcher m = GC_PAUSE.matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** The text of pyrogate's /metrics, null when it does not answer. */
  private static String scrape(int managementPort) {
    try {
      // Bounded by the future as well: JDK 17's send() was seen waiting forever, its request
      // timeout notwithstanding, and hung a whole bench run.
      HttpResponse<String> r =
          HTTP.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .get(10, TimeUnit.SECONDS);
      return r.body();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
