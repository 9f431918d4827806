package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsOnlyTheDonePrefixWhenRecordsFinishOutOfOrder() {
    tracker.received(p0, 10);
    tracker.received(p0, 11);
    tracker.received(p0, 12);
    tracker.done(p0, 11);
    tracker.done(p0, 12);
    assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(10));

    tracker.done(p0, 10);
    assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(13));
    assertThat(tracker.pending()).isZero();
  }

  @Test
  void reportsAPartitionOnlyWhenItsCommitPointMovedSinceTheLastCommit() {
    tracker.received(p0, 0);
    tracker.received(p1, 5);
    tracker.done(p0, 0);
    var first = tracker.committable();
    assertThat(first)
        .containsEntry(p0, new OffsetAndMetadata(1))
        .containsEntry(p1, new OffsetAndMetadata(5));
    tracker.committed(first);
    assertThat(tracker.committable()).isEmpty();
    tracker.done(p1, 5);
    assertThat(tracker.committable())
        .containsOnlyKeys(p1)
        .containsEntry(p1, new OffsetAndMetadata(6));
  }

  @Test
  void forgetsRevokedPartitionsAndIgnoresLateCompletions() {
    tracker.received(p0, 3);
    tracker.revoke(List.of(p0));
    tracker.done(p0, 3);
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.pending()).isZero();
  }
}
