package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations parse like Go's time.ParseDuration, which Alloy uses for every duration argument. */
class DurationsTest {

  @ParameterizedTest(name = "\"{0}\" = {1} ns")
  @CsvSource({
    "500ms, 500000000",
    "5m, 300000000000",
    "1h30m, 5400000000000",
    "1.5h, 5400000000000",
    "0, 0",
    "-0, 0",
    "+0, 0",
    "2h45m10s, 9910000000000",
    "-1s, -1000000000",
    "+1s, 1000000000",
    "1us, 1000",
    "1µs, 1000",
    "1μs, 1000",
    "300ms, 300000000",
    "-1.5h, -5400000000000",
    "1ns, 1",
    "1.9ns, 1",
    ".5s, 500000000",
    "1.s, 1000000000",
    "0s, 0",
    "10s10s, 20000000000",
    "1m1ms1us1ns, 60001001001",
    "2562047h47m16.854775807s, 9223372036854775807",
    "-2562047h47m16.854775808s, -9223372036854775808",
  })
  void valid(String text, long nanos) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "=> invalid duration \"\": empty string",
        "5 => invalid duration \"5\": missing unit after 5 (valid units are ns, us, µs, ms, s, m, h)",
        "5d => invalid duration \"5d\": unknown unit \"d\" (valid units are ns, us, µs, ms, s, m, h)",
        "1hm => invalid duration \"1hm\": unknown unit \"hm\" (valid units are ns, us, µs, ms, s, m, h)",
        "abc => invalid duration \"abc\": expected a number before \"abc\"",
        "1.2.3s => invalid duration \"1.2.3s\": missing unit after 1.2 (valid units are ns, us, µs, ms, s, m, h)",
        "- => invalid duration \"-\": expected a number after the sign",
        "1h 30m => invalid duration \"1h 30m\": unknown unit \"h \" (valid units are ns, us, µs, ms, s, m, h)",
        ".s => invalid duration \".s\": expected a number before \"s\"",
        "5S => invalid duration \"5S\": unknown unit \"S\" (valid units are ns, us, µs, ms, s, m, h)",
        "1h-30m => invalid duration \"1h-30m\": unknown unit \"h-\" (valid units are ns, us, µs, ms, s, m, h)",
        "2562048h => invalid duration \"2562048h\": out of range (at most about 292 years)",
        "2562047h47m16.854775808s => invalid duration \"2562047h47m16.854775808s\": out of range (at most about 292 years)",
      })
  void invalid(String text, String message) {
    String input = text == null ? "" : text;
    assertThatThrownBy(() -> Durations.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
