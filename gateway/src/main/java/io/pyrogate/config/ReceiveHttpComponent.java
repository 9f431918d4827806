package io.pyrogate.config;

import java.util.List;

/**
 * A {@code pyroscope.receive_http "label"} component.
 *
 * @param forwardTo labels of the {@code pyroscope.write} components every profile is written to
 */
public record ReceiveHttpComponent(String label, String listenAddress, int listenPort, List<String> forwardTo) {
  public static final String DEFAULT_LISTEN_ADDRESS = "0.0.0.0";
  public static final int DEFAULT_LISTEN_PORT = 8080;

  public ReceiveHttpComponent {
    forwardTo = List.copyOf(forwardTo);
  }
}
