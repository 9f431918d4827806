package io.pyrogate.reliability;

import io.pyrogate.bench.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link StandaloneBroker} in a JVM of its own on a fixed 127.0.0.1 port, which a scenario can
 * kill and restart.
 */
public final class BrokerProcess implements AutoCloseable {
  private final ChildProcess process;
  private final int port;

  private BrokerProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static BrokerProcess create(Path dir) {
    int port = Ports.free();
    List<String> cmd =
        List.of(
            ChildProcess.java(),
            "-Xmx512m",
            "-Dpyrogate.log.level=warn",
            "-cp",
            System.getProperty("java.class.path"),
            StandaloneBroker.class.getName(),
            dir.resolve("data").toString(),
            Integer.toString(port));
    return new BrokerProcess(new ChildProcess(dir, "broker", cmd), port);
  }

  /**
   * Starts (again, over the same data) and waits until it serves; fails after 90 s or when it
   * exits.
   */
  public BrokerProcess startReady() {
    process.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (process.lastOutput().contains(StandaloneBroker.READY)) {
        return this;
      }
      if (!process.alive()) {
        throw new IllegalStateException(
            "broker exited with " + process.exitCode() + "; see " + process.lastLog());
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new IllegalStateException("broker not ready within 90 s; see " + process.lastLog());
  }

  public void kill9() {
    process.kill9();
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
