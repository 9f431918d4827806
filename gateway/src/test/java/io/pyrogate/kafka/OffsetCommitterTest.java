package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.logging.ComponentLog;
import io.pyrogate.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the committer asks the consumer to commit, with commit requests that stay outstanding until
 * the test completes them.
 */
class OffsetCommitterTest {
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);
  private final Vertx vertx = Vertx.vertx();

  /** Every commit request made, with the promise that answers it. */
  private final List<Map<TopicPartition, OffsetAndMetadata>> requests =
      new CopyOnWriteArrayList<>();

  private final List<Promise<Void>> answers = new CopyOnWriteArrayList<>();

  private final OffsetCommitter committer =
      new OffsetCommitter(
          vertx,
          offsets -> {
            requests.add(Map.copyOf(offsets));
            Promise<Void> answer = Promise.promise();
            answers.add(answer);
            return answer.future();
          },
          "test consumer",
          ComponentLog.of(OffsetCommitterTest.class, "test"));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aRevocationWhileACommitIsOutstandingCommitsWhatIsDoneInTheRevokedPartitionsAtOnce() {
    committer.received(p0, 0);
    committer.received(p1, 0);
    committer.done(p0, 0);
    assertThat(requests).singleElement().satisfies(r -> assertThat(r).containsEntry(p0, at(1)));

    committer.received(p0, 1);
    committer.done(p0, 1); // while the first commit is outstanding
    committer.revoke(List.of(p0));

    assertThat(requests)
        .as("the done offsets of the revoked partition go out now, not after the outstanding one")
        .hasSize(2)
        .last()
        .isEqualTo(Map.of(p0, at(2)));
    answers.forEach(Promise::complete);
  }

  @Test
  void aRevocationCommitsOnlyTheRevokedPartitionsAndForgetsThem() {
    committer.received(p0, 0);
    committer.received(p1, 5);
    committer.revoke(List.of(p0));
    assertThat(requests)
        .as("nothing done in p0: committed at its first record, where the new owner starts")
        .containsExactly(Map.of(p0, at(0)));

    committer.received(p1, 6);
    committer.done(p1, 5);
    assertThat(requests).last().isEqualTo(Map.of(p1, at(6)));
    answers.forEach(Promise::complete);

    committer.done(p0, 0); // answered after the revocation: the new owner decides
    assertThat(committer.commitNow().await()).isNull();
    assertThat(requests).filteredOn(r -> r.containsKey(p0)).hasSize(1);
  }

  @Test
  void aFailedCommitLeavesItsOffsetsToTheNextCommit() {
    committer.received(p0, 0);
    committer.received(p0, 1);
    committer.done(p0, 0);
    answers.get(0).fail("rebalancing");

    Future<Void> last = committer.commitNow();
    assertThat(requests).hasSize(2).last().isEqualTo(Map.of(p0, at(1)));
    answers.get(1).complete();
    assertThat(last.await()).isNull();
  }

  @Test
  void aCommitRefusedWhileTheGroupRebalancesGoesOutAgainAfterTheIntervalWithoutAWarning() {
    try (LogCapture logs = LogCapture.atInfo()) {
      committer.received(p0, 0);
      committer.done(p0, 0);
      answers.get(0).fail(new RebalanceInProgressException("the group is rebalancing"));

      await().atMost(Duration.ofSeconds(5)).until(() -> requests.size() == 2);
      assertThat(requests.get(1)).isEqualTo(Map.of(p0, at(1)));
      assertThat(logs.lines()).noneMatch(l -> l.contains("level=warn"));
    }
  }

  private static OffsetAndMetadata at(long offset) {
    return new OffsetAndMetadata(offset);
  }
}
