package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.record.ProfileRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue on a real event loop, with the health fed by hand. */
class SendQueueTest {
  private static final RetryPolicy.Failure DOWN =
      new RetryPolicy.Failure(0, null, null, "connection refused");
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final EndpointHealth health =
      new EndpointHealth(
          new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, true, () -> 0.0),
          now::get,
          now::get);
  private final List<Send> sent = new CopyOnWriteArrayList<>();
  private long offset;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void requestsGoInOrderWithAtMostTheLimitInFlight() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 2, sent::add);
    Send a = send();
    Send b = send();
    Send c = send();
    onLoop(
        () -> {
          queue.offer(a);
          queue.offer(b);
          queue.offer(c);
          return null;
        });
    assertThat(sent).containsExactly(a, b);
    onLoop(
        () -> {
          queue.completed(b);
          queue.pump();
          return null;
        });
    assertThat(sent).containsExactly(a, b, c);
    assertThat(queue.inFlight()).isEqualTo(2);
  }

  @Test
  void aHeldEndpointSendsNothingUntilTheHoldIsReleased() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 8, sent::add);
    Send a = send();
    onLoop(
        () -> {
          queue.holdFor(60_000);
          queue.offer(a);
          queue.holdFor(1_000); // a shorter hold does not shorten the one in force
          return null;
        });
    assertThat(sent).isEmpty();
    assertThat(queue.heldUntil()).isEqualTo(now.get() + 60_000);
    onLoop(
        () -> {
          queue.holdFor(0);
          return null;
        });
    assertThat(sent).containsExactly(a);
    assertThat(queue.heldUntil()).isZero();
  }

  @Test
  void aHoldEndsWhenItsTimeHasPassed() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 8, sent::add);
    Send a = send();
    onLoop(
        () -> {
          queue.holdFor(50);
          queue.offer(a);
          now.addAndGet(50); // the hold's time passes on the queue's clock before its timer fires
          return null;
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
  }

  @Test
  void inAnOutageAReleaseSendsTheProbeAtOnce() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 8, sent::add);
    Send a = send();
    onLoop(
        () -> {
          for (int i = 0; i < 3; i++) {
            health.failed(DOWN, now.get());
          }
          queue.holdFor(60_000);
          queue.offer(a);
          queue.holdFor(0); // another member reached the endpoint
          return null;
        });
    assertThat(health.inOutage()).isTrue();
    assertThat(sent).containsExactly(a);
  }

  @Test
  void inAnOutageOneProbeGoesWhenDueAndTheRestFollowOnceTheEndpointIsBack() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 8, sent::add);
    onLoop(
        () -> {
          for (int i = 0; i < 3; i++) {
            health.failed(DOWN, now.get());
          }
          return null;
        });
    assertThat(health.inOutage()).isTrue();
    Send a = send();
    Send b = send();
    Send c = send();
    onLoop(
        () -> {
          queue.offer(a);
          queue.offer(b);
          queue.offer(c);
          return null;
        });
    assertThat(sent).isEmpty(); // the next attempt is 100 ms away on the health's clock
    await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
    onLoop(
        () -> {
          queue.pump();
          return null;
        });
    assertThat(sent).containsExactly(a); // one probe at a time
    onLoop(
        () -> {
          health.delivered(now.get());
          queue.completed(a);
          queue.pump();
          return null;
        });
    assertThat(sent).containsExactly(a, b, c);
  }

  @Test
  void clearTakesTheWaitingRequestsAndStopsProbing() {
    SendQueue queue = new SendQueue(vertx, health, now::get, 8, sent::add);
    Send a = send();
    List<Send> waiting =
        onLoop(
            () -> {
              for (int i = 0; i < 3; i++) {
                health.failed(DOWN, now.get());
              }
              queue.offer(a);
              return queue.clear();
            });
    assertThat(waiting).containsExactly(a);
    assertThat(sent).isEmpty();
  }

  private Send send() {
    return Send.of(
        new ConsumerWindow.Held(new ConsumerRecord<>("topic", 0, offset++, "k", new byte[0])),
        ProfileRecord.push(null, new byte[1], 1));
  }

  private <T> T onLoop(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(
        v -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException | AssertionError e) {
            result.completeExceptionally(e);
          }
        });
    return result.join();
  }
}
