package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The http block's server limits, as a client meets them. */
@KafkaTest
class ReceiveHttpLimitsTest {

  private static Gateway start(int port, int connLimit, Duration readTimeout) {
    return start(TestGateways.sharedKafka(), port, connLimit, readTimeout);
  }

  private static Gateway start(KafkaSettings kafka, int port, int connLimit, Duration readTimeout) {
    var server =
        new ReceiveHttpComponent.HttpServerConfig(
            "127.0.0.1",
            port,
            connLimit,
            readTimeout,
            Duration.ofSeconds(30),
            Duration.ofSeconds(120));
    return TestGateways.start(
        new GatewayConfig(
            kafka,
            List.of(new ReceiveHttpComponent("default", server, List.of("w"))),
            List.of(new WriteComponent("w", List.of(), Map.of()))));
  }

  @Test
  void aConnectionOverConnLimitIsClosedUnansweredAndItsRequestIsNotStored() throws IOException {
    KafkaSettings kafka = TestGateways.sharedKafka();
    try (Gateway gateway = start(kafka, 0, 1, Duration.ofSeconds(30));
        Socket first = new Socket("127.0.0.1", gateway.ingestPort("default"))) {
      int port = gateway.ingestPort("default");
      byte[] push = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
      assertThat(exchange(first, push)).startsWith("HTTP/1.1 200");

      try (Socket second = new Socket("127.0.0.1", port)) {
        assertThatThrownBy(
                () -> {
                  String answer = exchange(second, push);
                  if (answer.isEmpty()) {
                    throw new IOException("closed without an answer");
                  }
                })
            .isInstanceOf(IOException.class);
      }
      assertThat(exchange(first, push))
          .as("the first connection still works")
          .startsWith("HTTP/1.1 200");
      // Vert.x hands over a connection once its first request head is complete: that request must
      // not be stored,
      // since its client got no answer and sends it again (it was, and every retry became a
      // duplicate).
      assertThat(TestKafka.handle().readAll(kafka.topicPrefix() + "write.w"))
          .as("only the two answered pushes")
          .hasSize(2);
    }
  }

  @Test
  void aRequestWhoseBodyNeverCompletesGets408AfterServerReadTimeoutAndIsClosed() throws Exception {
    try (Gateway gateway = start(0, 100, Duration.ofSeconds(1));
        Socket socket = new Socket("127.0.0.1", gateway.ingestPort("default"))) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\nContent-Type: application/proto\r\n"
                  + "Content-Length: 1000\r\n\r\npartial")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      try (Trickler body = new Trickler(socket, "b")) {
        String answer = read(socket.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
        // The body still trickles in, but the connection is closed: it no longer holds a conn_limit
        // slot.
        assertThat(readOrEnd(socket.getInputStream())).as("closed (end or reset)").isEqualTo(-1);
      }
    }
  }

  /**
   * Issue 15, finding 9: connections that hold every conn_limit slot while they trickle the head of
   * their next request give their slots to real clients once past the head deadline (min(10 s,
   * server_read_timeout)), and are closed without an answer.
   */
  @Test
  void connectionsTricklingTheNextRequestHeadGiveTheirSlotsToRealClients() throws Exception {
    int connLimit = 4;
    Duration readTimeout = Duration.ofSeconds(2);
    byte[] push = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
    List<Socket> slow = new ArrayList<>();
    List<Socket> real = new ArrayList<>();
    List<Trickler> tricklers = new ArrayList<>();
    try (Gateway gateway = start(0, connLimit, readTimeout)) {
      int port = gateway.ingestPort("default");
      long start = System.nanoTime();
      for (int i = 0; i < connLimit; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        slow.add(socket);
        assertThat(exchange(socket, push)).startsWith("HTTP/1.1 200");
        socket
            .getOutputStream()
            .write(
                "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        tricklers.add(new Trickler(socket, "X-Slow: 1\r\n"));
      }
      try (Socket early = new Socket("127.0.0.1", port)) {
        assertThat(exchange(early, push)).as("every slot is held, within its deadline").isEmpty();
      } catch (SocketException e) {
        // reset: closed as well
      }
      // Real clients retrying until they get in are served within the head deadline plus slack, one
      // per slot.
      Duration slack = Duration.ofSeconds(5);
      for (int i = 0; i < connLimit; i++) {
        real.add(
            await()
                .atMost(readTimeout.plus(slack))
                .pollInterval(Duration.ofMillis(100))
                .until(
                    () -> {
                      Socket client = new Socket("127.0.0.1", port);
                      try {
                        if (exchange(client, push).startsWith("HTTP/1.1 200")) {
                          return client;
                        }
                      } catch (IOException e) {
                        // closed by conn_limit: try again
                      }
                      client.close();
                      return null;
                    },
                    client -> client != null));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(readTimeout.plus(slack));
      for (Socket socket : slow) {
        assertThat(read(socket.getInputStream()))
            .as("closed without an answer: no request head was complete")
            .isEmpty();
      }
      for (Socket socket : real) {
        assertThat(exchange(socket, push))
            .as("real clients keep their connections")
            .startsWith("HTTP/1.1 200");
      }
    } finally {
      for (Trickler t : tricklers) {
        t.close();
      }
      for (Socket socket : slow) {
        socket.close();
      }
      for (Socket socket : real) {
        socket.close();
      }
    }
  }

  /**
   * Vert.x sees a connection (with cleartext HTTP/2 on) only once its first request head is
   * complete, so connections trickling their first head hold no conn_limit slot: real clients are
   * served at once.
   */
  @Test
  void connectionsTricklingTheirFirstHeadHoldNoSlot() throws Exception {
    int connLimit = 4;
    byte[] push = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
    List<Socket> slow = new ArrayList<>();
    List<Trickler> tricklers = new ArrayList<>();
    try (Gateway gateway = start(0, connLimit, Duration.ofSeconds(30))) {
      int port = gateway.ingestPort("default");
      for (int i = 0; i < connLimit; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket
            .getOutputStream()
            .write(
                "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
        tricklers.add(new Trickler(socket, "X-Slow: 1\r\n"));
      }
      for (int i = 0; i < connLimit; i++) {
        try (Socket client = new Socket("127.0.0.1", port)) {
          assertThat(exchange(client, push)).startsWith("HTTP/1.1 200");
        }
      }
    } finally {
      for (Trickler t : tricklers) {
        t.close();
      }
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  /**
   * Writes a few bytes every 200 ms until closed or the connection fails, as a slow client does.
   */
  private static final class Trickler implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Trickler(Socket socket, String chunk) {
      byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
      timer.scheduleAtFixedRate(
          () -> {
            try {
              socket.getOutputStream().write(bytes);
              socket.getOutputStream().flush();
            } catch (IOException e) {
              timer.shutdown();
            }
          },
          200,
          200,
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends one push request on the socket and returns the status line and headers ("" when closed).
   */
  private static String exchange(Socket socket, byte[] body) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\nContent-Type: application/proto\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return read(socket.getInputStream());
  }

  private static String read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = readOrEnd(in)) >= 0) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        String h = head.toString();
        int i = h.toLowerCase(Locale.ROOT).indexOf("content-length: ");
        if (i >= 0) {
          in.readNBytes(Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)).trim()));
        }
        return h;
      }
    }
    return head.toString();
  }

  /** A reset connection counts as closed. */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      return -1;
    }
  }
}
