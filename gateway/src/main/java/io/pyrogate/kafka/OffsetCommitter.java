package io.pyrogate.kafka;

import io.pyrogate.logging.ComponentLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * Commits, for one consumer, exactly the offsets whose records are done — never one still in flight
 * — at most every {@link #INTERVAL_MS} and with at most one commit request outstanding (completions
 * in between are folded into the next commit). Used from the owning verticle's event loop only.
 *
 * <p>A commit the broker refuses because the group is rebalancing (an instance joined or left) is
 * routine where several instances share the work: it is made again after the interval, and logged
 * at debug only.
 *
 * <p>Why an interval: committing after every delivered batch meant hundreds of synchronous commits
 * a second under load, each holding up the consumer's polling and appending to {@code
 * __consumer_offsets}. The price is that a crash re-delivers, besides the window in flight, what
 * was done in the last interval.
 */
public final class OffsetCommitter {

  /** Least time between two commits of one consumer. */
  public static final long INTERVAL_MS = 200;

  private final Vertx vertx;
  private final Function<Map<TopicPartition, OffsetAndMetadata>, Future<?>> commitRequest;
  private final String name;
  private final ComponentLog log;
  private final OffsetTracker tracker = new OffsetTracker();
  private boolean committing;
  private boolean commitAgain;
  private boolean closed;
  private long lastCommitNanos;
  private long timer = -1;

  /**
   * @param commitRequest commits offsets for the consumer (e.g. {@code KafkaReadStream::commit})
   * @param name how log lines name the consumer
   * @param log the log of the component (and endpoint) the consumer reads for
   */
  public OffsetCommitter(
      Vertx vertx,
      Function<Map<TopicPartition, OffsetAndMetadata>, Future<?>> commitRequest,
      String name,
      ComponentLog log) {
    this.vertx = vertx;
    this.commitRequest = commitRequest;
    this.name = name;
    this.log = log;
  }

  public void received(TopicPartition tp, long offset) {
    tracker.received(tp, offset);
  }

  /** Marks a record done; what became committable is committed within {@link #INTERVAL_MS}. */
  public void done(TopicPartition tp, long offset) {
    tracker.done(tp, offset);
    schedule();
  }

  /**
   * Commits what is done in the revoked partitions, then forgets them: the new owner goes on from
   * there. The commit goes out now even while another is outstanding (which may hold older offsets
   * of these partitions, or none): once they are forgotten, no later commit would carry them, and
   * the new owner would deliver again what was done here. Requests of one consumer are made in
   * order, so this one lands after the outstanding one.
   */
  public void revoke(Collection<TopicPartition> revoked) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(tracker.committable());
    offsets.keySet().retainAll(revoked);
    tracker.revoke(revoked);
    if (!offsets.isEmpty() && !closed) {
      request(offsets);
    }
  }

  /**
   * Stops committing in the background; {@link #commitNow()} commits what is done one last time.
   */
  public Future<Void> commitNow() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    return offsets.isEmpty() ? Future.succeededFuture() : commitRequest.apply(offsets).mapEmpty();
  }

  /** Commits now when the last commit is {@link #INTERVAL_MS} old, else when it will be. */
  private void schedule() {
    if (closed || timer >= 0) {
      return;
    }
    if (committing) {
      commitAgain = true;
      return;
    }
    long wait = INTERVAL_MS - (System.nanoTime() - lastCommitNanos) / 1_000_000;
    if (wait <= 0) {
      commit();
    } else {
      timer =
          vertx.setTimer(
              wait,
              id -> {
                timer = -1;
                commit();
              });
    }
  }

  private void commit() {
    if (closed) {
      return;
    }
    if (committing) {
      commitAgain = true;
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (offsets.isEmpty()) {
      return;
    }
    committing = true;
    lastCommitNanos = System.nanoTime();
    request(offsets)
        .onComplete(
            ar -> {
              committing = false;
              if (commitAgain
                  || ar.failed() && ar.cause() instanceof RebalanceInProgressException) {
                commitAgain = false;
                schedule();
              }
            });
  }

  private Future<?> request(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return commitRequest
        .apply(offsets)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                tracker.committed(offsets);
              } else if (ar.cause() instanceof RebalanceInProgressException) {
                log.debug(
                    "{}: offset commit deferred, the group is rebalancing: {}",
                    name,
                    ar.cause().getMessage());
              } else {
                log.warn(
                    "{}: offset commit failed (records will be delivered again): {}",
                    name,
                    ar.cause().getMessage());
              }
            });
  }
}
