package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pyrogate.Gateway;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import org.junit.jupiter.api.Test;

/** The http block's server limits, as a client meets them. */
class ReceiveHttpLimitsTest {

  private static Gateway start(int port, int connLimit, Duration readTimeout) {
    var server = new ReceiveHttpComponent.HttpServerConfig("127.0.0.1", port, connLimit, readTimeout,
        Duration.ofSeconds(30), Duration.ofSeconds(120));
    return TestGateways.start(new GatewayConfig(TestGateways.sharedKafka(),
        List.of(new ReceiveHttpComponent("default", server, List.of("w"))), List.of(new WriteComponent("w", List.of(), Map.of()))));
  }

  @Test
  void aConnectionOverConnLimitIsClosedWhileTheOthersAreServed() throws IOException {
    int port = freePort();
    try (Gateway gateway = start(port, 1, Duration.ofSeconds(30)); Socket first = new Socket("127.0.0.1", port)) {
      byte[] push = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
      assertThat(exchange(first, push)).startsWith("HTTP/1.1 200");

      try (Socket second = new Socket("127.0.0.1", port)) {
        assertThatThrownBy(() -> {
          String answer = exchange(second, push);
          if (answer.isEmpty()) {
            throw new IOException("closed without an answer");
          }
        }).isInstanceOf(IOException.class);
      }
      assertThat(exchange(first, push)).as("the first connection still works").startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aRequestWhoseBodyNeverCompletesGets408AfterServerReadTimeout() throws IOException {
    int port = freePort();
    try (Gateway gateway = start(port, 100, Duration.ofSeconds(1)); Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\nContent-Type: application/proto\r\n"
          + "Content-Length: 1000\r\n\r\npartial").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = read(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 408");
    }
  }

  /** Sends one push request on the socket and returns the status line and headers ("" when closed). */
  private static String exchange(Socket socket, byte[] body) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\nContent-Type: application/proto\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return read(socket.getInputStream());
  }

  private static String read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        String h = head.toString();
        int i = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ");
        if (i >= 0) {
          in.readNBytes(Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)).trim()));
        }
        return h;
      }
    }
    return head.toString();
  }
}
