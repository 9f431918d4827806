package io.pyrogate.ops.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeterReaderTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong nanos = new AtomicLong();
  private final MeterReader reader =
      new MeterReader(registry, TimeUnit.SECONDS.toNanos(10), nanos::get);

  private Counter sent(String endpoint) {
    return Counter.builder("pyroscope.write.sent.profiles")
        .tags("component_id", "pyroscope.write.w", "endpoint", endpoint)
        .register(registry);
  }

  @Test
  void findsMetersByTheirScrapedNameWithOrWithoutTotalAndSumsThoseWithTheTags() {
    sent("a").increment(3);
    sent("b").increment(4);
    Gauge.builder("pyrogate.topic.retention.seconds", () -> 3600)
        .tags("component_id", "pyroscope.write.w", "topic", "t")
        .register(registry);
    reader.refresh();

    assertThat(reader.sum("pyroscope_write_sent_profiles", Map.of("endpoint", "a"))).isEqualTo(3.0);
    assertThat(reader.sum("pyroscope_write_sent_profiles_total", Map.of())).isEqualTo(7.0);
    assertThat(reader.sumBy("pyroscope_write_sent_profiles", Map.of(), "endpoint"))
        .isEqualTo(Map.of("a", 3.0, "b", 4.0));
    assertThat(reader.sum("pyrogate_topic_retention_seconds", Map.of("topic", "t")))
        .isEqualTo(3600.0);
  }

  @Test
  void aMeterNobodyRegisteredIsNullNotZero() {
    assertThat(reader.sum("pyrogate_endpoint_oldest_undelivered_seconds", Map.of())).isNull();
    assertThat(reader.rate("pyroscope_write_sent_profiles", Map.of())).isNull();
  }

  @Test
  void ratesArePerSecondOverTheWindowSampledAndUnknownBeforeTwoSamples() {
    Counter a = sent("a");
    reader.refresh();
    reader.sample();
    assertThat(reader.rate("pyroscope_write_sent_profiles", Map.of())).isNull();
    for (int second = 2; second <= 20; second += 2) {
      nanos.set(TimeUnit.SECONDS.toNanos(second));
      a.increment(second <= 10 ? 2 : 10); // 1/s for 10 s, then 5/s
      reader.sample();
    }
    // The last 10 s (plus one sample interval at most) only: 5/s.
    assertThat(reader.rate("pyroscope_write_sent_profiles", Map.of("endpoint", "a")))
        .isCloseTo(5.0, within(0.01));
    assertThat(reader.rateBy("pyroscope_write_sent_profiles", Map.of(), "endpoint").get("a"))
        .isCloseTo(5.0, within(0.01));
  }
}
