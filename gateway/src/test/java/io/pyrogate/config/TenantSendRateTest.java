package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's {@code tenant_send_rate} (a pyrogate extension): its forms, its errors at their
 * place, and {@code validate} saying Alloy would not understand it.
 */
class TenantSendRateTest {
  private static final String CONFIG =
      """
      pyroscope.write "w" {
        endpoint {
          url              = "http://pyroscope:4040"
          tenant_send_rate = "%s"
        }
      }
      """;

  @Test
  void readsSizesInBinaryUnitsOrPlainBytes() {
    assertThat(TenantSendRate.parse("4MiB").bytesPerSecond()).isEqualTo(4L << 20);
    assertThat(TenantSendRate.parse("4MB").bytesPerSecond()).isEqualTo(4L << 20);
    assertThat(TenantSendRate.parse("512KiB").bytesPerSecond()).isEqualTo(512L << 10);
    assertThat(TenantSendRate.parse("512KB").bytesPerSecond()).isEqualTo(512L << 10);
    assertThat(TenantSendRate.parse("1GiB").bytesPerSecond()).isEqualTo(1L << 30);
    assertThat(TenantSendRate.parse("1.5MiB").bytesPerSecond()).isEqualTo(3L << 19);
    assertThat(TenantSendRate.parse("1048576").bytesPerSecond()).isEqualTo(1L << 20);
    assertThat(TenantSendRate.parse("100B").bytesPerSecond()).isEqualTo(100);
    assertThat(TenantSendRate.parse("4MiB")).hasToString("4MiB");
    assertThat(TenantSendRate.NONE.limited()).isFalse();
  }

  @Test
  void anEndpointReadsItAndValidateSaysAlloyWouldRefuseIt() {
    ConfigLoader.Result run =
        ConfigLoader.parse("t.alloy", CONFIG.formatted("2MiB"), Map.<String, String>of()::get);
    assertThat(run.config().writes().get(0).endpoints().get(0).tenantSendRate())
        .isEqualTo(new TenantSendRate("2MiB", 2L << 20));
    assertThat(run.diagnostics().all()).isEmpty();

    ConfigLoader.Result validate =
        ConfigLoader.parse(
            "t.alloy",
            CONFIG.formatted("2MiB"),
            Map.<String, String>of()::get,
            ConfigLoader.Mode.VALIDATE);
    assertThat(validate.diagnostics().warnings())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "t.alloy:4:5: warning: tenant_send_rate is a pyrogate extension: Alloy does not"
                + " understand it and refuses this file (unrecognized attribute name"
                + " \"tenant_send_rate\")");
  }

  @Test
  void anEndpointWithoutItHasNoBudget() {
    ConfigLoader.Result r =
        ConfigLoader.parse(
            "t.alloy",
            "pyroscope.write \"w\" {\n  endpoint {\n    url = \"http://p:4040\"\n  }\n}\n",
            Map.<String, String>of()::get,
            ConfigLoader.Mode.VALIDATE);
    assertThat(r.config().writes().get(0).endpoints().get(0).tenantSendRate())
        .isEqualTo(TenantSendRate.NONE);
    assertThat(r.diagnostics().all()).isEmpty();
  }

  @Test
  void aBadOrNonPositiveValueIsAnErrorAtItsPlace() {
    assertThat(error("4 MiB"))
        .isEqualTo(
            "t.alloy:4:5: error: tenant_send_rate: expected bytes per second such as \"4MiB\","
                + " \"512KiB\" or \"1048576\" (units B, KiB, MiB, GiB; KB, MB and GB are the same),"
                + " got \"4 MiB\"");
    assertThat(error("4kB")).contains("got \"4kB\"");
    assertThat(error("-1MiB")).contains("got \"-1MiB\"");
    assertThat(error("0"))
        .isEqualTo(
            "t.alloy:4:5: error: tenant_send_rate: must be at least 1 byte per second, got \"0\"");
    assertThat(error("0.5B")).contains("must be at least 1 byte per second");
    assertThat(error("99999999999GiB"))
        .isEqualTo("t.alloy:4:5: error: tenant_send_rate: is too large: \"99999999999GiB\"");
  }

  private static String error(String value) {
    try {
      ConfigLoader.parse("t.alloy", CONFIG.formatted(value), Map.<String, String>of()::get);
    } catch (ConfigException e) {
      return e.diagnostics().stream()
          .filter(d -> d.severity() == Severity.ERROR)
          .map(Diagnostic::toString)
          .reduce((a, b) -> a + "\n" + b)
          .orElseThrow();
    }
    throw new AssertionError("\"" + value + "\" was accepted");
  }
}
