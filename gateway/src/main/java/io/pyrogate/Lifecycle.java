package io.pyrogate;

import io.pyrogate.ops.Reloader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's lifecycle state: {@code NEW → STARTING → RUNNING → STOPPING → STOPPED}, or from
 * {@code STARTING} straight to {@code STOPPING} when a start fails. The first stop request moves to
 * {@code STOPPING} and is the one that stops; every request waits for that same stop, each within
 * its own deadline. Reloads run only while {@code RUNNING}. Thread-safe.
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  enum State {
    NEW,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  State state() {
    return state.get();
  }

  /**
   * @throws IllegalStateException when it was started before
   */
  void starting() {
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      throw new IllegalStateException("already " + state.get());
    }
  }

  /** Everything started; stays {@code STOPPING} when a stop began meanwhile. */
  void running() {
    state.compareAndSet(State.STARTING, State.RUNNING);
  }

  /**
   * Stops once: the first call moves to {@code STOPPING} and runs {@code stopInOrder} on a thread
   * of its own; every call, the first included, waits at most {@code timeout} for that one stop.
   * What cannot stop in time (clients or a broker waiting out their own timeouts) does not hold the
   * caller.
   *
   * @return whether the stop finished, cleanly, within {@code timeout}
   */
  boolean stop(Duration timeout, Runnable stopInOrder) {
    if (beginStop()) {
      Thread stopper =
          new Thread(
              () -> {
                try {
                  stopInOrder.run();
                  stopped(null);
                } catch (RuntimeException | Error e) {
                  stopped(e);
                }
              },
              "pyrogate-stop");
      stopper.setDaemon(true);
      stopper.start();
    }
    try {
      stopped.copy().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warn(
          "pyrogate did not stop within {} ms; giving up waiting (what Kafka acknowledged is on disk)",
          timeout.toMillis());
      return false;
    } catch (ExecutionException e) {
      LOG.warn("pyrogate did not stop cleanly: {}", e.getCause().toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Moves to {@code STOPPING}; true for the one caller that moved it there. */
  private boolean beginStop() {
    while (true) {
      State current = state.get();
      if (current == State.STOPPING || current == State.STOPPED) {
        return false;
      }
      if (state.compareAndSet(current, State.STOPPING)) {
        return true;
      }
    }
  }

  private void stopped(Throwable failure) {
    state.set(State.STOPPED);
    if (failure == null) {
      stopped.complete(null);
    } else {
      stopped.completeExceptionally(failure);
    }
  }

  /**
   * @throws Reloader.Unavailable unless {@code RUNNING}, saying why
   */
  void requireRunning() {
    switch (state.get()) {
      case RUNNING -> {}
      case STOPPING, STOPPED ->
          throw new Reloader.Unavailable("pyrogate is stopping; not reloading");
      case NEW, STARTING ->
          throw new Reloader.Unavailable("pyrogate is starting; reload once it is ready");
    }
  }
}
