package io.pyrogate.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks, per partition, which received records are done (delivered or dead-lettered), so that only
 * the done prefix is ever committed. Records may finish out of order; the commit point stops at the
 * lowest record still pending. Not thread-safe: used from one verticle's event loop.
 */
public final class OffsetTracker {
  private static final class PartitionState {
    final TreeSet<Long> pending = new TreeSet<>();
    long highestReceived = -1;
    long committed = -1;

    long commitPoint() {
      return pending.isEmpty() ? highestReceived + 1 : pending.first();
    }
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  void received(TopicPartition tp, long offset) {
    PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
    s.pending.add(offset);
    s.highestReceived = Math.max(s.highestReceived, offset);
  }

  /** Marks a record done; ignored for a partition no longer assigned. */
  void done(TopicPartition tp, long offset) {
    PartitionState s = partitions.get(tp);
    if (s != null) {
      s.pending.remove(offset);
    }
  }

  /** Offsets to commit: for each partition whose done prefix grew since the last commit. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    partitions.forEach(
        (tp, s) -> {
          long point = s.commitPoint();
          if (point > s.committed && s.highestReceived >= 0) {
            result.put(tp, new OffsetAndMetadata(point));
          }
        });
    return result;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, o) -> {
          PartitionState s = partitions.get(tp);
          if (s != null) {
            s.committed = Math.max(s.committed, o.offset());
          }
        });
  }

  /** Forgets revoked partitions: their pending records will be delivered by the new owner. */
  void revoke(Collection<TopicPartition> revoked) {
    revoked.forEach(partitions::remove);
  }

  /** Records received and not yet done, over all partitions. */
  int pending() {
    return partitions.values().stream().mapToInt(s -> s.pending.size()).sum();
  }
}
