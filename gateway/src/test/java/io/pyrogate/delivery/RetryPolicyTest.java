package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final RetryPolicy lowest =
      new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(5), 10, true, () -> 0.0);
  private final RetryPolicy highest =
      new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(5), 10, true, () -> 0.999_999);

  private static RetryPolicy.Failure status(int status) {
    return new RetryPolicy.Failure(status, null, null, "HTTP " + status);
  }

  @Test
  void backoffDoublesFromMinWithJitterWithinEachStepAndStopsAtMax() {
    assertThat(lowest.backoff(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(highest.backoff(1)).isEqualTo(Duration.ofMillis(999));
    assertThat(lowest.backoff(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(lowest.backoff(4)).isEqualTo(Duration.ofMillis(4000));
    assertThat(highest.backoff(4)).isEqualTo(Duration.ofMillis(7999));
    assertThat(lowest.backoff(10)).isEqualTo(Duration.ofMillis(256_000));
    assertThat(highest.backoff(10)).isEqualTo(Duration.ofMinutes(5).minusMillis(1));
    assertThat(lowest.backoff(11)).isEqualTo(Duration.ofMinutes(5));
    assertThat(highest.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
  }

  @ParameterizedTest(name = "HTTP {0} retried: {1}")
  @CsvSource({
    "0,true",
    "408,true",
    "429,true",
    "500,true",
    "502,true",
    "503,true",
    "504,true",
    "400,false",
    "401,false",
    "403,false",
    "404,false",
    "409,false",
    "413,false",
    "422,false"
  })
  void classifiesByStatusWhenTheBodyIsNoConnectError(int code, boolean retried) {
    assertThat(lowest.retryable(status(code))).isEqualTo(retried);
  }

  @ParameterizedTest(name = "{0} retried: {1}")
  @CsvSource({
    "deadline_exceeded,true",
    "unknown,true",
    "internal,true",
    "unavailable,true",
    "data_loss,true",
    "aborted,true",
    "resource_exhausted,true",
    "invalid_argument,false",
    "unauthenticated,false",
    "permission_denied,false",
    "unimplemented,false",
    "failed_precondition,false",
    "canceled,false"
  })
  void classifiesConnectErrorCodesAsAlloyDoes(String code, boolean retried) {
    assertThat(lowest.retryable(new RetryPolicy.Failure(400, code, null, code))).isEqualTo(retried);
  }

  @ParameterizedTest(name = "HTTP {0} with code {1} retried: {2}")
  @CsvSource({
    "502,something,true",
    "503,Unavailable,true",
    "504,,true",
    "429,proxy_busy,true",
    "408,x,true",
    "400,something,false",
    "404,not_a_code,false"
  })
  void aCodeConnectDoesNotDefineIsIgnoredForTheHttpStatus(
      int status, String code, boolean retried) {
    assertThat(lowest.retryable(new RetryPolicy.Failure(status, code, null, "x")))
        .isEqualTo(retried);
  }

  @Test
  void aServerErrorWithAFinalConnectCodeIsFinalAsInAlloy() {
    assertThat(lowest.retryable(new RetryPolicy.Failure(503, "invalid_argument", null, "x")))
        .isFalse();
    assertThat(lowest.retryable(new RetryPolicy.Failure(500, "internal", null, "x"))).isTrue();
  }

  @Test
  void retryOnHttp429FalseMakes429AndResourceExhaustedFinal() {
    RetryPolicy no429 =
        new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(5), 10, false, () -> 0.0);
    assertThat(no429.retryable(status(429))).isFalse();
    assertThat(no429.retryable(new RetryPolicy.Failure(429, "resource_exhausted", null, "x")))
        .isFalse();
    assertThat(no429.retryable(status(503))).isTrue();
  }

  @Test
  void givesUpAfterMaxAttemptsAndNeverWhenZero() {
    assertThat(lowest.decide(status(503), 9, NOW).retry()).isTrue();
    RetryPolicy.Decision last = lowest.decide(status(503), 10, NOW);
    assertThat(last.retry()).isFalse();
    assertThat(last.reason()).isEqualTo("gave up after 10 attempts: HTTP 503");
    RetryPolicy forever =
        new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(5), 0, true, () -> 0.0);
    assertThat(forever.decide(status(503), 1_000_000, NOW).retry()).isTrue();
    assertThat(lowest.decide(status(400), 1, NOW))
        .isEqualTo(new RetryPolicy.Decision(false, Duration.ZERO, "HTTP 400"));
  }

  @Test
  void honoursRetryAfterInSecondsAndAsHttpDateCappedAtMax() {
    var seconds = new RetryPolicy.Failure(429, null, "30", "HTTP 429");
    assertThat(lowest.decide(seconds, 1, NOW).delay()).isEqualTo(Duration.ofSeconds(30));
    var date = new RetryPolicy.Failure(503, null, "Wed, 25 Nov 2026 12:00:45 GMT", "HTTP 503");
    assertThat(lowest.decide(date, 1, NOW).delay()).isEqualTo(Duration.ofSeconds(45));
    var tooLong = new RetryPolicy.Failure(503, null, "86400", "HTTP 503");
    assertThat(lowest.decide(tooLong, 1, NOW).delay()).isEqualTo(Duration.ofMinutes(5));
    var shorter = new RetryPolicy.Failure(503, null, "0", "HTTP 503");
    assertThat(lowest.decide(shorter, 3, NOW).delay())
        .as("backoff wins when longer")
        .isEqualTo(Duration.ofSeconds(2));
    var garbage = new RetryPolicy.Failure(503, null, "soon", "HTTP 503");
    assertThat(lowest.decide(garbage, 1, NOW).delay()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void rejectsAMaxBelowTheMin() {
    assertThatThrownBy(
            () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, true, () -> 0.5))
        .hasMessageContaining("min <= max");
  }
}
