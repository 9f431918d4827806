package io.pyrogate.kafka;

import java.util.Collection;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, for one consumer, exactly the offsets whose records are done — never one still in flight — with
 * at most one commit request outstanding (later completions are folded into the next commit). Used from the
 * owning verticle's event loop only.
 */
public final class OffsetCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

  private final KafkaReadStream<?, ?> consumer;
  private final String name;
  private final OffsetTracker tracker = new OffsetTracker();
  private boolean committing;
  private boolean commitAgain;
  private boolean closed;

  /** @param name how log lines name the consumer */
  public OffsetCommitter(KafkaReadStream<?, ?> consumer, String name) {
    this.consumer = consumer;
    this.name = name;
  }

  public void received(TopicPartition tp, long offset) {
    tracker.received(tp, offset);
  }

  /** Marks a record done and commits what became committable. */
  public void done(TopicPartition tp, long offset) {
    tracker.done(tp, offset);
    commit();
  }

  /** Commits what is done in the revoked partitions, then forgets them: the new owner goes on from there. */
  public void revoke(Collection<TopicPartition> revoked) {
    commit();
    tracker.revoke(revoked);
  }

  /** Stops committing in the background; {@link #commitNow()} commits what is done one last time. */
  public Future<Void> commitNow() {
    closed = true;
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    return offsets.isEmpty() ? Future.succeededFuture() : consumer.commit(offsets).mapEmpty();
  }

  /** Records received and not yet done. */
  public int pending() {
    return tracker.pending();
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
    consumer.commit(offsets).onComplete(ar -> {
      committing = false;
      if (ar.succeeded()) {
        tracker.committed(offsets);
      } else {
        LOG.warn("{}: offset commit failed (records will be delivered again): {}", name, ar.cause().getMessage());
      }
      if (commitAgain) {
        commitAgain = false;
        commit();
      }
    });
  }
}
