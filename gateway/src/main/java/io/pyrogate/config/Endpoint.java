package io.pyrogate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An {@code endpoint} block of {@code pyroscope.write}: one Pyroscope server profiles are delivered
 * to.
 *
 * @param name stable name of the endpoint; part of its consumer group, so renaming it starts it
 *     afresh
 * @param url base URL of the Pyroscope server
 * @param remoteTimeout timeout of one HTTP attempt
 * @param headers extra request headers (values may be secret: never logged)
 * @param minBackoff first retry delay
 * @param maxBackoff largest retry delay
 * @param maxBackoffRetries attempts before giving up; 0 means forever
 * @param retryOnHttp429 whether 429 (resource_exhausted) is retried or final
 * @param http authentication, TLS, proxy, HTTP/2 and redirects
 * @param startFrom where the endpoint starts reading when its consumer group is new (a pyrogate
 *     extension)
 * @param tenantSendRate the bytes per second each tenant may be sent, by all instances together (a
 *     pyrogate extension)
 */
public record Endpoint(
    String name,
    URI url,
    Duration remoteTimeout,
    Map<String, String> headers,
    Duration minBackoff,
    Duration maxBackoff,
    int maxBackoffRetries,
    boolean retryOnHttp429,
    HttpClientConfig http,
    StartFrom startFrom,
    TenantSendRate tenantSendRate) {

  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_BACKOFF_RETRIES = 10;

  public Endpoint {
    headers = Map.copyOf(headers);
  }

  /** An endpoint with Alloy's defaults. */
  public static Endpoint defaults(String name, URI url) {
    return new Endpoint(
        name,
        url,
        DEFAULT_REMOTE_TIMEOUT,
        Map.of(),
        DEFAULT_MIN_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_BACKOFF_RETRIES,
        true,
        HttpClientConfig.defaults(),
        StartFrom.END,
        TenantSendRate.NONE);
  }

  public Endpoint withBackoff(Duration min, Duration max, int retries) {
    return new Endpoint(
        name,
        url,
        remoteTimeout,
        headers,
        min,
        max,
        retries,
        retryOnHttp429,
        http,
        startFrom,
        tenantSendRate);
  }

  public Endpoint withHeaders(Map<String, String> newHeaders) {
    return new Endpoint(
        name,
        url,
        remoteTimeout,
        newHeaders,
        minBackoff,
        maxBackoff,
        maxBackoffRetries,
        retryOnHttp429,
        http,
        startFrom,
        tenantSendRate);
  }

  public Endpoint withRemoteTimeout(Duration timeout) {
    return new Endpoint(
        name,
        url,
        timeout,
        headers,
        minBackoff,
        maxBackoff,
        maxBackoffRetries,
        retryOnHttp429,
        http,
        startFrom,
        tenantSendRate);
  }

  public Endpoint withStartFrom(StartFrom start) {
    return new Endpoint(
        name,
        url,
        remoteTimeout,
        headers,
        minBackoff,
        maxBackoff,
        maxBackoffRetries,
        retryOnHttp429,
        http,
        start,
        tenantSendRate);
  }

  public Endpoint withTenantSendRate(TenantSendRate rate) {
    return new Endpoint(
        name,
        url,
        remoteTimeout,
        headers,
        minBackoff,
        maxBackoff,
        maxBackoffRetries,
        retryOnHttp429,
        http,
        startFrom,
        rate);
  }

  /** Header values can carry credentials (e.g. Authorization), so only names are shown. */
  @Override
  public String toString() {
    return "Endpoint[name="
        + name
        + ", url="
        + Redact.url(url)
        + ", remoteTimeout="
        + remoteTimeout
        + ", headers="
        + headers.keySet()
        + ", minBackoff="
        + minBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", maxBackoffRetries="
        + maxBackoffRetries
        + ", retryOnHttp429="
        + retryOnHttp429
        + ", http="
        + http
        + ", startFrom="
        + startFrom
        + ", tenantSendRate="
        + tenantSendRate
        + "]";
  }
}
