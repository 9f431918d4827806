package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Lifecycle.State;
import io.pyrogate.ops.Reloader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final Lifecycle lifecycle = new Lifecycle();

  @Test
  void goesFromNewThroughStartingAndRunningToStopped() {
    assertThat(lifecycle.state()).isEqualTo(State.NEW);
    lifecycle.starting();
    assertThat(lifecycle.state()).isEqualTo(State.STARTING);
    lifecycle.running();
    assertThat(lifecycle.state()).isEqualTo(State.RUNNING);

    assertThat(lifecycle.stop(Duration.ofSeconds(10), () -> {})).isTrue();
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void startsOnlyOnce() {
    lifecycle.starting();
    assertThatThrownBy(lifecycle::starting)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("already STARTING");
  }

  @Test
  void reloadsRunOnlyWhileRunningAndOtherwiseSayWhy() {
    assertThatThrownBy(lifecycle::requireRunning)
        .isInstanceOf(Reloader.Unavailable.class)
        .hasMessage("pyrogate is starting; reload once it is ready");
    lifecycle.starting();
    assertThatThrownBy(lifecycle::requireRunning)
        .hasMessage("pyrogate is starting; reload once it is ready");
    lifecycle.running();
    lifecycle.requireRunning();
    lifecycle.stop(Duration.ofSeconds(10), () -> {});
    assertThatThrownBy(lifecycle::requireRunning)
        .isInstanceOf(Reloader.Unavailable.class)
        .hasMessage("pyrogate is stopping; not reloading");
  }

  @Test
  void aStartThatFailedStopsAndDoesNotBecomeRunning() {
    lifecycle.starting();
    assertThat(lifecycle.stop(Duration.ofSeconds(10), () -> {})).isTrue();
    lifecycle.running();
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void concurrentStopsRunOneStopAndEachReturnsWhenItFinished() throws Exception {
    started();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger stops = new AtomicInteger();
    Runnable stopInOrder =
        () -> {
          stops.incrementAndGet();
          waitFor(release);
        };

    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(() -> lifecycle.stop(Duration.ofSeconds(30), stopInOrder));
    CompletableFuture<Boolean> second =
        CompletableFuture.supplyAsync(() -> lifecycle.stop(Duration.ofSeconds(30), stopInOrder));
    await().until(() -> stops.get() == 1);
    assertThat(lifecycle.state()).isEqualTo(State.STOPPING);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(stops).hasValue(1);
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void aStopThatTakesLongerThanTheDeadlineReturnsAtTheDeadlineAndGoesOn() {
    started();
    CountDownLatch release = new CountDownLatch(1);
    try {
      long began = System.nanoTime();
      assertThat(lifecycle.stop(Duration.ofMillis(200), () -> waitFor(release))).isFalse();
      Duration waited = Duration.ofNanos(System.nanoTime() - began);
      assertThat(waited).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
      assertThat(lifecycle.state()).isEqualTo(State.STOPPING);
    } finally {
      release.countDown();
    }
    assertThat(lifecycle.stop(Duration.ofSeconds(10), () -> {})).isTrue();
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void aStopThatFailedIsReportedAsNotCleanToEveryCaller() {
    started();
    assertThat(
            lifecycle.stop(
                Duration.ofSeconds(10),
                () -> {
                  throw new IllegalStateException("broker would not stop");
                }))
        .isFalse();
    assertThat(lifecycle.stop(Duration.ofSeconds(10), () -> {})).isFalse();
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  private void started() {
    lifecycle.starting();
    lifecycle.running();
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
