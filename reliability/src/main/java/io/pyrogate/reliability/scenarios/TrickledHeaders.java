package io.pyrogate.reliability.scenarios;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections that send one complete request (so that the server has taken them as HTTP
 * connections), then the request line of a second one and one header byte per second, never
 * finishing its headers (a slowloris client). It notes when pyrogate closes each; {@link #close()}
 * ends the rest.
 */
final class TrickledHeaders implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Long> closedAfterMillis = new ArrayList<>();
  private final long started = System.nanoTime();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reliability-trickle");
            t.setDaemon(true);
            return t;
          });

  /** Opens {@code count} connections to 127.0.0.1:{@code port} and starts trickling. */
  TrickledHeaders(int port, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.getOutputStream()
          .write(
              ("GET /push.v1.PusherService/Push HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      + "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                  .getBytes(StandardCharsets.US_ASCII));
      sockets.add(s);
    }
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void tick() {
    for (Socket s : List.copyOf(sockets)) {
      try {
        OutputStream out = s.getOutputStream();
        out.write('a');
        out.flush();
      } catch (IOException e) {
        closedAfterMillis.add((System.nanoTime() - started) / 1_000_000);
        sockets.remove(s);
        quietly(s);
      }
    }
  }

  /** How long after they opened pyrogate closed the connections it closed. */
  synchronized List<Long> closedAfterMillis() {
    return List.copyOf(closedAfterMillis);
  }

  /** Connections still trickling. */
  synchronized int open() {
    return sockets.size();
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    sockets.forEach(TrickledHeaders::quietly);
    sockets.clear();
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
