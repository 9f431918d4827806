package io.pyrogate.kafka;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker serving: every 2 s it looks whether the broker failed (its disk filled
 * up, or it failed fatally) and then stops it and starts it again over the same data and address,
 * so clients reconnect by themselves. A failed attempt is tried again after 2 s, doubling up to 10
 * s, for as long as it takes (space may return hours later). It exists only when Kafka is embedded.
 */
public final class EmbeddedBrokerSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerSupervisor.class);
  private static final long CHECK_INTERVAL_MS = 2_000;

  /** The first wait between attempts to restart a failed broker; doubles up to the next. */
  private static final long RESTART_MIN_MS = 2_000;

  private static final long RESTART_MAX_MS = 10_000;

  /**
   * How long a restart waits for the failed broker to stop; the next attempt waits for the same
   * stop again.
   */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;

  /** The broker is replaced and stopped under this lock. */
  private final Object lock = new Object();

  private volatile EmbeddedKafka broker;
  private final AtomicBoolean restarting = new AtomicBoolean();
  private volatile long nextRestart = System.nanoTime();
  private volatile long restartWaitMs = RESTART_MIN_MS;
  private volatile boolean stopped;
  private volatile long timer = -1;

  private EmbeddedBrokerSupervisor(Vertx vertx, EmbeddedKafka broker) {
    this.vertx = vertx;
    this.broker = broker;
  }

  /**
   * Starts the broker (see {@link EmbeddedKafka#start}); blocks until it serves. It is restarted
   * after a failure once {@link #supervise} was called.
   */
  public static EmbeddedBrokerSupervisor start(Vertx vertx, Path dataDir, String host, int port) {
    return new EmbeddedBrokerSupervisor(vertx, EmbeddedKafka.start(dataDir, host, port));
  }

  /**
   * Restarts the broker whenever it failed, from now on until {@link #stopSupervising()}.
   *
   * @param afterAttempt run after each restart attempt, whether it succeeded or not
   */
  public void supervise(Runnable afterAttempt) {
    timer = vertx.setPeriodic(CHECK_INTERVAL_MS, id -> restartIfFailed(afterAttempt));
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Why the broker failed, or empty while it serves. */
  public Optional<String> failure() {
    return Optional.ofNullable(broker.fatalError());
  }

  private void restartIfFailed(Runnable afterAttempt) {
    EmbeddedKafka failed = broker;
    if (failed.fatalError() == null
        || stopped
        || System.nanoTime() < nextRestart
        || !restarting.compareAndSet(false, true)) {
      return;
    }
    LOG.warn("embedded Kafka failed ({}); restarting it", failed.fatalError());
    vertx
        .executeBlocking(
            () -> {
              synchronized (lock) {
                if (!stopped) {
                  broker = failed.restart(STOP_TIMEOUT);
                }
              }
              return null;
            },
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                restartWaitMs = RESTART_MIN_MS;
                LOG.info("embedded Kafka restarted over the same data");
              } else {
                nextRestart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(restartWaitMs);
                LOG.warn(
                    "embedded Kafka could not restart ({}); next attempt in {} ms",
                    ar.cause().getMessage(),
                    restartWaitMs);
                restartWaitMs = Math.min(restartWaitMs * 2, RESTART_MAX_MS);
              }
              restarting.set(false);
              afterAttempt.run();
            });
  }

  /** No restart starts from now on: pyrogate is stopping. One in progress finishes. */
  public void stopSupervising() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Stops supervising, waits for a restart in progress, then stops the broker. */
  @Override
  public void close() {
    stopSupervising();
    synchronized (lock) {
      broker.close();
    }
  }
}
