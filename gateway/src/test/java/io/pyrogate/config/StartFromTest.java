package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's {@code start_from} (a pyrogate extension): its forms, its errors, and {@code
 * validate} saying Alloy would not understand it.
 */
class StartFromTest {
  private static final String CONFIG =
      """
      pyroscope.write "w" {
        endpoint {
          url        = "http://pyroscope:4040"
          start_from = "%s"
        }
      }
      """;

  @Test
  void readsEachForm() {
    assertThat(StartFrom.parse("end")).isEqualTo(StartFrom.END);
    assertThat(StartFrom.parse("earliest")).isInstanceOf(StartFrom.Earliest.class);
    assertThat(StartFrom.parse("2026-11-25T10:00:00Z"))
        .isEqualTo(new StartFrom.At(Instant.parse("2026-11-25T10:00:00Z")));
    assertThat(StartFrom.parse("2026-11-25T11:00:00.5+01:00"))
        .isEqualTo(new StartFrom.At(Instant.parse("2026-11-25T10:00:00.5Z")));
    StartFrom ago = StartFrom.parse("1h30m");
    assertThat(ago).isEqualTo(new StartFrom.Ago("1h30m", Duration.ofMinutes(90)));
    assertThat(((StartFrom.Timed) ago).time(Instant.parse("2026-11-25T10:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-25T08:30:00Z"));
    assertThat(ago).hasToString("1h30m");
  }

  @Test
  void anEndpointReadsItAndValidateSaysAlloyWouldRefuseIt() {
    ConfigLoader.Result run =
        ConfigLoader.parse("t.alloy", CONFIG.formatted("earliest"), Map.<String, String>of()::get);
    assertThat(run.config().writes().get(0).endpoints().get(0).startFrom())
        .isInstanceOf(StartFrom.Earliest.class);
    assertThat(run.diagnostics().all()).isEmpty();

    ConfigLoader.Result validate =
        ConfigLoader.parse(
            "t.alloy",
            CONFIG.formatted("earliest"),
            Map.<String, String>of()::get,
            ConfigLoader.Mode.VALIDATE);
    assertThat(validate.diagnostics().warnings())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "t.alloy:4:5: warning: start_from is a pyrogate extension: Alloy does not understand"
                + " it and refuses this file (unrecognized attribute name \"start_from\")");
  }

  @Test
  void anEndpointWithoutItStartsAtTheEnd() {
    ConfigLoader.Result r =
        ConfigLoader.parse(
            "t.alloy",
            "pyroscope.write \"w\" {\n  endpoint {\n    url = \"http://p:4040\"\n  }\n}\n",
            Map.<String, String>of()::get,
            ConfigLoader.Mode.VALIDATE);
    assertThat(r.config().writes().get(0).endpoints().get(0).startFrom()).isEqualTo(StartFrom.END);
    assertThat(r.diagnostics().all()).isEmpty();
  }

  @Test
  void anythingElseIsAnErrorSayingWhatIsExpected() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.alloy", CONFIG.formatted("beginning"), Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).diagnostics())
                    .filteredOn(d -> d.severity() == Severity.ERROR)
                    .extracting(Diagnostic::toString)
                    .containsExactly(
                        "t.alloy:4:5: error: start_from: expected \"end\", \"earliest\" or an RFC"
                            + " 3339 time such as 2026-11-25T10:00:00Z or a duration such as 2h,"
                            + " got \"beginning\""));
  }
}
