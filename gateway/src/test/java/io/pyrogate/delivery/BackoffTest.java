package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromMinWithJitterWithinEachStepAndStopsAtMax() {
    Backoff lowest = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), () -> 0.0);
    Backoff highest = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), () -> 0.999_999);
    assertThat(lowest.delay(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(highest.delay(1)).isEqualTo(Duration.ofMillis(999));
    assertThat(lowest.delay(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(lowest.delay(4)).isEqualTo(Duration.ofMillis(4000));
    assertThat(highest.delay(4)).isEqualTo(Duration.ofMillis(7999));
    assertThat(lowest.delay(10)).isEqualTo(Duration.ofMillis(256_000));
    assertThat(highest.delay(10)).isEqualTo(Duration.ofMinutes(5).minusMillis(1));
    assertThat(lowest.delay(11)).isEqualTo(Duration.ofMinutes(5));
    assertThat(highest.delay(1000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void rejectsAMaxBelowTheMin() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
        .hasMessageContaining("min <= max");
  }
}
