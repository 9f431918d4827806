package io.pyrogate;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a Vert.x future from a thread that may block ({@code main}, a worker, the stop thread),
 * never from an event loop: what starting, reloading and stopping the gateway's components do
 * between steps.
 */
final class Blocking {
  private static final long TIMEOUT_S = 60;

  private Blocking() {}

  /**
   * The future's result, waiting at most 60 s.
   *
   * @throws RuntimeException the future's failure, or an {@link IllegalStateException} when it did
   *     not complete in time
   */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re
          ? re
          : new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + TIMEOUT_S + " s", e);
    }
  }
}
