package io.pyrogate.ops;

import io.pyrogate.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether Kafka answers, for readiness and for ingest (which consults the same {@link Health}):
 * every 2 s it asks for the cluster's brokers, waiting at most 2 s. A broker known to have failed
 * without asking it over the network (the embedded one after a fatal error) is reported as failed
 * with its reason.
 */
public final class KafkaProbe implements AutoCloseable {
  private static final long INTERVAL_MS = 2_000;

  private final Vertx vertx;
  private final Admin admin;
  private final Health health;
  private final Supplier<Optional<String>> brokerFailure;
  private final AtomicBoolean asking = new AtomicBoolean();
  private volatile long timer = -1;

  /**
   * @param brokerFailure why the broker is known to have failed, or empty; always empty when Kafka
   *     is external
   */
  public KafkaProbe(
      Vertx vertx, Admin admin, Health health, Supplier<Optional<String>> brokerFailure) {
    this.vertx = vertx;
    this.admin = admin;
    this.health = health;
    this.brokerFailure = brokerFailure;
  }

  /**
   * Asks Kafka once and waits for the answer: at start, so that Kafka's state is known before
   * ingest takes its first request.
   */
  public void checkNow() {
    try {
      admin.describeCluster().nodes().get(INTERVAL_MS, TimeUnit.MILLISECONDS);
      health.kafkaReachable();
    } catch (ExecutionException e) {
      health.kafkaUnreachable("Kafka unreachable: " + EmbeddedKafka.rootMessage(e));
    } catch (TimeoutException e) {
      health.kafkaUnreachable("Kafka unreachable: no answer within " + INTERVAL_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Checks now, then every 2 s until {@link #close()}. */
  public void start() {
    check();
    timer = vertx.setPeriodic(INTERVAL_MS, id -> check());
  }

  /**
   * Starts a check without waiting for it; skipped while the last one is still waiting for Kafka.
   */
  public void check() {
    Optional<String> failed = brokerFailure.get();
    if (failed.isPresent()) {
      health.kafkaUnreachable(failed.get());
      return;
    }
    if (!asking.compareAndSet(false, true)) {
      return;
    }
    vertx
        .executeBlocking(
            () -> admin.describeCluster().nodes().get(INTERVAL_MS, TimeUnit.MILLISECONDS), false)
        .onComplete(
            ar -> {
              asking.set(false);
              Optional<String> failedMeanwhile = brokerFailure.get();
              if (failedMeanwhile.isPresent()) {
                health.kafkaUnreachable(failedMeanwhile.get());
              } else if (ar.succeeded() && !ar.result().isEmpty()) {
                health.kafkaReachable();
              } else {
                health.kafkaUnreachable(
                    "Kafka unreachable: " + (ar.failed() ? ar.cause().getMessage() : "no brokers"));
              }
            });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
