package io.pyrogate.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker+controller) running in this JVM.
 *
 * <p>It runs in-process rather than as a child JVM: it is ready about 1.5 s sooner, there is no
 * orphan broker holding the port and the log-dir lock after the gateway is killed, and SREs
 * supervise one process. The price, a fatal broker error inside our JVM, is contained by {@link
 * #installExitGuard()}.
 *
 * <p>The metadata log is formatted on first start and reused afterwards, so acknowledged records
 * survive a restart. The quorum is static, so a restart may use other ports over the same data.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** The brokers running in this JVM, to which a fatal exit request is attributed. */
  private static final Set<EmbeddedKafka> RUNNING = ConcurrentHashMap.newKeySet();

  private static final int MAX_MESSAGE_BYTES = KafkaDefaults.MAX_RECORD_BYTES;

  private final KafkaRaftServer server;
  private final String host;
  private final int port;
  private final Path logDir;
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<Void>> stopping = new AtomicReference<>();

  private EmbeddedKafka(KafkaRaftServer server, String host, int port, Path logDir) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.logDir = logDir;
  }

  /**
   * Formats {@code dataDir} if it holds no broker yet, then starts the broker; blocks until it
   * serves.
   *
   * @param dataDir the broker's data directory (created if missing)
   * @param host the address to listen on, e.g. 127.0.0.1
   * @param port the client port; 0 picks a free one
   */
  public static EmbeddedKafka start(Path dataDir, String host, int port) {
    installExitGuard();
    long started = System.nanoTime();
    Path logDir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + logDir, e);
    }
    int brokerPort = port == 0 ? freePort(host) : port;
    requireFree(host, brokerPort);
    int controllerPort = freePort(host);
    KafkaConfig config =
        new KafkaConfig(properties(logDir, host, brokerPort, controllerPort), false);
    formatIfNeeded(config);
    KafkaRaftServer server = null;
    try {
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
    } catch (RuntimeException e) {
      if (server != null) {
        safeShutdown(server);
      }
      throw new IllegalStateException(
          "embedded Kafka could not start on "
              + host
              + ":"
              + brokerPort
              + " (data "
              + logDir
              + "): "
              + rootMessage(e),
          e);
    }
    EmbeddedKafka broker = new EmbeddedKafka(server, host, brokerPort, logDir);
    RUNNING.add(broker);
    LOG.info(
        "embedded Kafka ready at {} in {} ms (data {})",
        broker.bootstrapServers(),
        (System.nanoTime() - started) / 1_000_000,
        logDir);
    return broker;
  }

  /**
   * Stops this broker and starts a new one over the same data, on the same client address so
   * clients reconnect by themselves; for a broker that failed (full disk, fatal error). Blocks
   * until the new one serves.
   *
   * @param stopTimeout how long to wait for this one to stop; a later call waits for the same stop
   *     again
   * @throws IllegalStateException when this one did not stop in time, or the new one cannot start
   *     (the disk is still full, say)
   */
  public EmbeddedKafka restart(Duration stopTimeout) {
    try {
      shutdown().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the failed broker has not stopped within "
              + stopTimeout.toMillis()
              + " ms; still waiting for it",
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return start(logDir, host, port);
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  /**
   * Why this broker asked to terminate the JVM, or null while it did not; the gateway reports it as
   * not ready.
   */
  public String fatalError() {
    return fatal.get();
  }

  /** Stops the broker; blocks until it stopped. */
  @Override
  public void close() {
    shutdown().join();
  }

  /** Starts stopping the broker once, on its own thread; every call returns that one stop. */
  private CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    if (stopping.compareAndSet(null, mine)) {
      RUNNING.remove(this);
      Thread stopper =
          new Thread(
              () -> {
                safeShutdown(server);
                LOG.info("embedded Kafka stopped");
                mine.complete(null);
              },
              "embedded-kafka-stop");
      stopper.setDaemon(true);
      stopper.start();
    }
    return stopping.get();
  }

  static Properties properties(Path logDir, String host, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("offsets.topic.replication.factor", "1");
    // The default of 50 creates 50 partition directories and slows the first group join.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("socket.send.buffer.bytes", Integer.toString(KafkaDefaults.SOCKET_BUFFER_BYTES));
    p.put("socket.receive.buffer.bytes", Integer.toString(KafkaDefaults.SOCKET_BUFFER_BYTES));
    // Kafka checks retention every 5 minutes; at hundreds of MB/s a disk fills well before that.
    // Every 30 s the
    // broker deletes what a topic's retention.ms / retention.bytes no longer keeps.
    p.put("log.retention.check.interval.ms", "30000");
    // After an unclean stop the broker must wait out its old session before registering again;
    // short timeouts make a restart after kill -9 take ~6 s instead of ~15 s.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "2500");
    // A single node has no other replica to hand its partitions to; after a fault its controlled
    // shutdown waited
    // 5 minutes for a controller that was gone.
    p.put("controlled.shutdown.enable", "false");
    return p;
  }

  private static void formatIfNeeded(KafkaConfig config) {
    if (Files.exists(Path.of(config.metadataLogDir(), "meta.properties"))) {
      return;
    }
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(config.nodeId())
            .setClusterId(Uuid.randomUuid().toString())
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(config.metadataLogDir())
            .setIgnoreFormatted(true);
    config.logDirs().forEach(formatter::addDirectory);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format Kafka data directory " + config.metadataLogDir() + ": " + rootMessage(e),
          e);
    }
    LOG.info("formatted new Kafka data directory {}", config.metadataLogDir());
  }

  /**
   * Kafka's fatal paths call System.exit/halt, which would take the whole gateway down from inside
   * a broker thread without a clean stop. We record the reason instead (readiness turns false) and
   * let the failing broker thread end. The request is the broker's whose data directory its message
   * names, else every running broker's (pyrogate runs one; tests may run more).
   */
  private static synchronized void installExitGuard() {
    Exit.Procedure guard =
        (code, message) -> {
          String reason =
              "embedded Kafka requested exit with status "
                  + code
                  + (message == null ? "" : ": " + message);
          List<EmbeddedKafka> named =
              RUNNING.stream()
                  .filter(b -> message != null && message.contains(b.logDir.toString()))
                  .toList();
          (named.isEmpty() ? List.copyOf(RUNNING) : named)
              .forEach(b -> b.fatal.compareAndSet(null, reason));
          LOG.error("{}; the broker is no longer serving, pyrogate reports not ready", reason);
          throw new IllegalStateException(reason);
        };
    Exit.setExitProcedure(guard);
    Exit.setHaltProcedure(guard);
  }

  private static void safeShutdown(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka did not stop cleanly: {}", rootMessage(e));
    }
  }

  /**
   * Fails at once with one line naming the address when something else listens there: the broker
   * would say so only after formatting and starting, in a handful of stack traces.
   */
  private static void requireFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "embedded Kafka cannot listen on "
              + host
              + ":"
              + port
              + " (kafka embedded_listen_address): "
              + e.getMessage(),
          e);
    }
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  /** The message of {@code t}'s root cause, or its class name when it has none. */
  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
