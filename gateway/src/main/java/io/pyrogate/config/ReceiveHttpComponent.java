package io.pyrogate.config;

import java.time.Duration;
import java.util.List;

/**
 * A {@code pyroscope.receive_http "label"} component.
 *
 * @param server its {@code http} block
 * @param forwardTo labels of the {@code pyroscope.write} components every profile is written to
 */
public record ReceiveHttpComponent(String label, HttpServerConfig server, List<String> forwardTo) {
  public ReceiveHttpComponent {
    forwardTo = List.copyOf(forwardTo);
  }

  public ReceiveHttpComponent withForwardTo(List<String> targets) {
    return new ReceiveHttpComponent(label, server, targets);
  }

  /**
   * The {@code http} block, with Alloy's defaults.
   *
   * @param connLimit most simultaneous connections; more are closed at once
   * @param readTimeout most time to receive a request and answer it (408 after)
   * @param writeTimeout accepted for compatibility; pyrogate's answers are a few bytes
   * @param idleTimeout how long an idle keep-alive connection stays open
   */
  public record HttpServerConfig(
      String listenAddress,
      int listenPort,
      int connLimit,
      Duration readTimeout,
      Duration writeTimeout,
      Duration idleTimeout) {
    public static final String DEFAULT_LISTEN_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_LISTEN_PORT = 8080;
    public static final int DEFAULT_CONN_LIMIT = 16384;

    public static HttpServerConfig defaults() {
      return new HttpServerConfig(
          DEFAULT_LISTEN_ADDRESS,
          DEFAULT_LISTEN_PORT,
          DEFAULT_CONN_LIMIT,
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(120));
    }

    public HttpServerConfig at(String address, int port) {
      return new HttpServerConfig(address, port, connLimit, readTimeout, writeTimeout, idleTimeout);
    }
  }
}
