package io.pyrogate.config;

import io.pyrogate.config.syntax.Diagnostics;
import java.util.List;

/** Decodes a {@code pyroscope.receive_http} component: its {@code http} server block. */
final class ReceiveHttpDecoder {
  private ReceiveHttpDecoder() {}

  /** A {@code pyroscope.receive_http} component but its forward_to, read by the caller. */
  static ReceiveHttpComponent read(String label, BlockReader r) {
    Diagnostics diags = r.diagnostics();
    ReceiveHttpComponent.HttpServerConfig d = ReceiveHttpComponent.HttpServerConfig.defaults();
    ReceiveHttpComponent.HttpServerConfig server = d;
    var http = r.block("http");
    if (http.isPresent()) {
      BlockReader h =
          BlockReader.of("pyroscope.receive_http \"" + label + "\" http", http.get(), r.context());
      String address =
          h.string("listen_address").filter(s -> !s.isEmpty()).orElse(d.listenAddress());
      long port = h.number("listen_port").orElse((long) d.listenPort());
      if (port < 0 || port > 65535) {
        diags.error(
            h.positionOf("listen_port").orElse(http.get().position()),
            "listen_port must be within 0-65535, got " + port);
        port = d.listenPort();
      }
      long connLimit = h.number("conn_limit").orElse((long) d.connLimit());
      if (connLimit < 1 || connLimit > Integer.MAX_VALUE) {
        diags.error(
            h.positionOf("conn_limit").orElse(http.get().position()),
            "conn_limit must be at least 1, got " + connLimit);
        connLimit = d.connLimit();
      }
      server =
          new ReceiveHttpComponent.HttpServerConfig(
              address,
              (int) port,
              (int) connLimit,
              h.positiveDuration("server_read_timeout", d.readTimeout()),
              h.positiveDuration("server_write_timeout", d.writeTimeout()),
              h.positiveDuration("server_idle_timeout", d.idleTimeout()));
      h.finish();
    }
    r.finish();
    return new ReceiveHttpComponent(label, server, List.of());
  }
}
