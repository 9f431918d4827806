package io.pyrogate.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work one member does for the whole cluster, under a cluster-wide lock: every member tries to take
 * the lock, the one that has it keeps it (and does the work) until it stops, and when it leaves or
 * dies another member takes it within a few seconds. {@link #held()} says whether this member does
 * the work now; readable from any thread.
 */
final class ClusterSingleton {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSingleton.class);

  /** How long one try waits for the lock. */
  private static final long TRY_MS = 2_000;

  /** The pause between tries. */
  private static final long PAUSE_MS = 1_000;

  private final Vertx vertx;
  private final String lockName;
  private final String work;
  private volatile boolean held;
  private volatile boolean closed;
  private Lock lock;

  /**
   * @param work what the holder does, for the log
   */
  ClusterSingleton(Vertx vertx, String lockName, String work) {
    this.vertx = vertx;
    this.lockName = lockName;
    this.work = work;
  }

  /** Starts trying to take the lock. */
  void start() {
    tryTake();
  }

  boolean held() {
    return held;
  }

  private void tryTake() {
    if (closed) {
      return;
    }
    vertx
        .sharedData()
        .getLockWithTimeout(lockName, TRY_MS)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                // Taken by another member (a timeout), or the cluster is unavailable: try again.
                vertx.setTimer(PAUSE_MS, t -> tryTake());
                return;
              }
              synchronized (this) {
                if (closed) {
                  ar.result().release();
                  return;
                }
                lock = ar.result();
                held = true;
              }
              LOG.info("this member now does {} for the cluster", work);
            });
  }

  /** Gives the work up: another member takes it. */
  synchronized void close() {
    closed = true;
    held = false;
    if (lock != null) {
      lock.release();
      lock = null;
    }
  }
}
