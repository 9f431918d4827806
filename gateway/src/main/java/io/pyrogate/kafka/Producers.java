package io.pyrogate.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * The Kafka producers every stage writes through: {@code count} of them, each thread given one
 * round-robin on its first send and keeping it, so the records a thread sends keep their order,
 * while sends from different event loops travel over different connections that the broker handles
 * in parallel.
 *
 * <p>Each producer's {@code send} runs on its own thread, as it may block (up to {@code
 * max.block.ms}) while the broker is unknown or the buffer is full. A record that waited there
 * longer than {@link KafkaDefaults#SEND_QUEUE_MS} behind such sends fails without being sent; with
 * {@code max.block.ms} and {@code delivery.timeout.ms} this decides every record's fate within
 * {@link KafkaDefaults#ACK_TIMEOUT_MS} of {@link #send}, so a record reported failed is not stored
 * later (unless the broker wrote it and its answer was lost).
 */
public final class Producers {
  private final List<Slot> slots = new ArrayList<>();
  private final AtomicInteger nextSlot = new AtomicInteger();
  private final ThreadLocal<Slot> mine;
  private final List<KafkaClientMeters.Binding> metered = new ArrayList<>();

  /** One producer and the thread its sends run on. */
  private record Slot(KafkaProducer<String, byte[]> producer, ExecutorService sender) {}

  public Producers(Vertx vertx, Map<String, Object> config, int count) {
    for (int i = 0; i < count; i++) {
      Map<String, Object> own = new HashMap<>(config);
      if (count > 1) {
        // Kafka registers each client's metrics under its client.id; two producers with one id
        // collide.
        own.put(
            ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-" + i);
      }
      String threadName = "pyrogate-producer-" + i;
      slots.add(
          new Slot(
              new KafkaProducer<>(own),
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                  })));
    }
    mine =
        ThreadLocal.withInitial(
            () -> slots.get(Math.floorMod(nextSlot.getAndIncrement(), slots.size())));
  }

  /** Serves every producer's own metrics with {@code meters}' tags until {@link #close}. */
  public void meteredBy(KafkaClientMeters meters) {
    slots.forEach(slot -> metered.add(meters.bind(slot.producer())));
  }

  /**
   * Completes when Kafka acknowledged the record (acks=all), fails when it could not or the record
   * was not sent; on the caller's Vert.x context when there is one.
   */
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    Slot slot = mine.get();
    Context context = Vertx.currentContext();
    Promise<RecordMetadata> promise = Promise.promise();
    long handedOver = System.nanoTime();
    try {
      slot.sender()
          .execute(
              () -> {
                long waitedMs = (System.nanoTime() - handedOver) / 1_000_000;
                if (waitedMs > KafkaDefaults.SEND_QUEUE_MS) {
                  complete(
                      context,
                      promise,
                      null,
                      new NotSentException(
                          "not sent: Kafka took no record for "
                              + waitedMs
                              + " ms (the broker is unreachable or the producer's buffer is full)"));
                  return;
                }
                try {
                  slot.producer()
                      .send(
                          record, (metadata, error) -> complete(context, promise, metadata, error));
                } catch (RuntimeException e) {
                  // Also what a user's partitioner or serializer throws: the caller gets an answer
                  // either way.
                  complete(context, promise, null, e);
                } catch (Error e) {
                  complete(context, promise, null, e);
                  throw e;
                }
              });
    } catch (RejectedExecutionException closed) {
      promise.fail(new NotSentException("not sent: the producer is closed"));
    }
    return promise.future();
  }

  private static void complete(
      Context context, Promise<RecordMetadata> promise, RecordMetadata metadata, Throwable error) {
    Runnable done =
        () -> {
          if (error == null) {
            promise.complete(metadata);
          } else {
            promise.fail(error);
          }
        };
    if (context == null) {
      done.run();
    } else {
      context.runOnContext(v -> done.run());
    }
  }

  /**
   * Sends what was handed over, flushes and closes every producer, waiting at most about {@code
   * timeoutMs} for each.
   */
  public Future<Void> close(long timeoutMs) {
    metered.forEach(KafkaClientMeters.Binding::close);
    List<Future<Void>> closed = new ArrayList<>();
    for (Slot slot : slots) {
      Promise<Void> done = Promise.promise();
      Thread closer =
          new Thread(
              () -> {
                try {
                  slot.sender()
                      .shutdown(); // what was handed over is sent (or refused) first, then flushed
                  slot.sender().awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
                  slot.producer().close(Duration.ofMillis(timeoutMs));
                  done.complete();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  done.fail(e);
                } catch (RuntimeException e) {
                  done.fail(e);
                }
              },
              "pyrogate-producer-close");
      closer.setDaemon(true);
      closer.start();
      closed.add(done.future());
    }
    return Future.join(closed).mapEmpty();
  }

  /** A record that was never handed to Kafka: it is not stored. */
  public static final class NotSentException extends KafkaException {
    public NotSentException(String message) {
      super(message);
    }
  }
}
