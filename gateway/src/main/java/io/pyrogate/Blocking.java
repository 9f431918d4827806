package io.pyrogate;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking steps of starting, reloading and stopping the gateway's components, on a thread that
 * may block ({@code main}, a worker, the stop thread), never on an event loop.
 */
final class Blocking {
  private static final Logger LOG = LoggerFactory.getLogger(Blocking.class);
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

  /** Runs a step of a stop; logs its failure rather than throwing it, so the stop goes on. */
  static void quietly(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("could not {} cleanly: {}", what, e.getMessage());
    }
  }
}
