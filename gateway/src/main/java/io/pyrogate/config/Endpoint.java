package io.pyrogate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An {@code endpoint} block of {@code pyroscope.write}: one Pyroscope server profiles are delivered to.
 *
 * @param name stable name of the endpoint; part of its consumer group, so renaming it starts it afresh
 * @param url base URL of the Pyroscope server
 * @param remoteTimeout timeout of one HTTP attempt
 * @param headers extra request headers (values may be secret: never logged)
 * @param minBackoff first retry delay
 * @param maxBackoff largest retry delay
 * @param maxBackoffRetries attempts before giving up; 0 means forever
 */
public record Endpoint(
    String name,
    URI url,
    Duration remoteTimeout,
    Map<String, String> headers,
    Duration minBackoff,
    Duration maxBackoff,
    int maxBackoffRetries) {

  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_BACKOFF_RETRIES = 10;

  public Endpoint {
    headers = Map.copyOf(headers);
  }

  /** Header values can carry credentials (e.g. Authorization), so only names are shown. */
  @Override
  public String toString() {
    return "Endpoint[name=" + name + ", url=" + url + ", remoteTimeout=" + remoteTimeout
        + ", headers=" + headers.keySet() + ", minBackoff=" + minBackoff + ", maxBackoff=" + maxBackoff
        + ", maxBackoffRetries=" + maxBackoffRetries + "]";
  }
}
