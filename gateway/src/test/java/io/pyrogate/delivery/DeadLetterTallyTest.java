package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterTallyTest {
  private final DeadLetterTally tally = new DeadLetterTally();

  @Test
  void theMostFrequentReasonsComeFirst() {
    tally.record("HTTP 400: bad profile");
    tally.record("HTTP 413: too large");
    tally.record("HTTP 400: bad profile");
    tally.record("out of retries");

    assertThat(tally.top(2))
        .containsExactly(
            new DeadLetterTally.Reason("HTTP 400: bad profile", 2),
            new DeadLetterTally.Reason("HTTP 413: too large", 1));
  }

  @Test
  void longReasonsAreCutAndDistinctReasonsBeyondTheCapCountTogether() {
    tally.record("x".repeat(1000));
    for (int i = 0; i < DeadLetterTally.MAX_REASONS + 5; i++) {
      tally.record("reason " + i);
    }
    List<DeadLetterTally.Reason> all = tally.top(1000);
    assertThat(all).hasSize(DeadLetterTally.MAX_REASONS + 1);
    assertThat(all.get(0)).isEqualTo(new DeadLetterTally.Reason(DeadLetterTally.OTHER, 6));
    assertThat(all).anySatisfy(r -> assertThat(r.reason()).hasSize(DeadLetterTally.MAX_REASON + 1));
  }
}
