package io.pyrogate.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the suite runs: the packaged jar, where scenarios keep their files, quick or full, and the
 * endpoint outage of the scenario that outlasts {@code max.poll.interval.ms}.
 *
 * @param jar the packaged pyrogate jar
 * @param workDir a directory for data, configurations and logs (one subdirectory per scenario)
 * @param quick smaller loads and shorter outages, for {@code scripts/test}
 * @param longOutage how long the endpoint stays down in the scenario that outlasts {@code
 *     max.poll.interval.ms}
 * @param javaOpts extra JVM options of the pyrogate processes
 */
public record Settings(
    Path jar, Path workDir, boolean quick, Duration longOutage, List<String> javaOpts) {
  /**
   * The full run's outage: longer than Kafka's default {@code max.poll.interval.ms} of 5 minutes.
   */
  public static final Duration FULL_LONG_OUTAGE = Duration.ofSeconds(330);

  /** The quick run's outage, beside a consumer {@code max.poll.interval.ms} of 10 s. */
  public static final Duration QUICK_LONG_OUTAGE = Duration.ofSeconds(30);

  /** {@code full} in a full run, {@code quick} otherwise: picks a load or a duration. */
  public int pick(int full, int quickValue) {
    return quick ? quickValue : full;
  }
}
