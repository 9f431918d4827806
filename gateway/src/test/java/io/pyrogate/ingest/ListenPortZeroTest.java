package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.ops.Metrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * listen_port 0 gives a receiver one port, as Alloy's single listener on port 0 has, however many
 * instances serve it; before, each instance listened on a port of its own.
 */
class ListenPortZeroTest {
  private static final Path TCP = Path.of("/proc/self/net/tcp");

  /** Java's sockets are IPv6 sockets where the system has IPv6, even bound to 127.0.0.1. */
  private static final Path TCP6 = Path.of("/proc/self/net/tcp6");

  private static final String LISTEN = "0A";

  @Test
  void allInstancesOfAReceiverOnPortZeroListenOnTheOnePortItReports() throws Exception {
    assumeTrue(Files.isReadable(TCP), "needs Linux's /proc/self/net/tcp");
    Vertx vertx = Vertx.vertx();
    try {
      ReceiveHttpComponent component =
          new ReceiveHttpComponent(
              "default",
              ReceiveHttpComponent.HttpServerConfig.defaults().at("127.0.0.1", 0),
              List.of());
      ConnectionSlots slots =
          new ConnectionSlots(component.server().connLimit(), component.server().readTimeout());
      Metrics.IngestMetrics metrics = new Metrics().ingest("pyroscope.receive_http.default");
      Set<Integer> before = listeningPorts();

      String deployment =
          vertx
              .deployVerticle(
                  () ->
                      new HttpIngestVerticle(
                          component, List.of(), new InflightBytes(1 << 20), slots, metrics),
                  new DeploymentOptions().setInstances(3))
              .await(30, TimeUnit.SECONDS);

      Integer port = HttpIngestVerticle.boundPort(vertx, deployment);
      Set<Integer> opened = listeningPorts();
      opened.removeAll(before);
      assertThat(port).isPositive();
      assertThat(opened).containsExactly(port);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The ports this process listens on, from the sockets it holds open. */
  private static Set<Integer> listeningPorts() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(
          fd -> {
            try {
              String target = Files.readSymbolicLink(fd).toString();
              if (target.startsWith("socket:[")) {
                inodes.add(target.substring(8, target.length() - 1));
              }
            } catch (IOException | UncheckedIOException e) {
              // closed meanwhile
            }
          });
    }
    Set<Integer> ports = new HashSet<>();
    for (Path table : List.of(TCP, TCP6)) {
      if (!Files.isReadable(table)) {
        continue;
      }
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (LISTEN.equals(f[3]) && inodes.contains(f[9])) {
          ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }
}
