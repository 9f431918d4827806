package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IgnoredSignalsTest {
  private static String status(String sigIgn) {
    return "Name:\tjava\nSigPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t"
        + sigIgn
        + "\nSigCgt:\t0000000000000000\n";
  }

  @Test
  void readsTheHandledSignalsFromTheIgnoredMask() {
    // nohup: SIGHUP (bit 0); a background job of a non-interactive shell: SIGINT and SIGQUIT.
    assertThat(IgnoredSignals.in(status("0000000000000001")))
        .containsExactly("SIGHUP (reload the configuration)");
    assertThat(IgnoredSignals.in(status("0000000000000006"))).containsExactly("SIGINT (stop)");
    assertThat(IgnoredSignals.in(status("0000000000004003")))
        .containsExactly("SIGHUP (reload the configuration)", "SIGINT (stop)", "SIGTERM (stop)");
  }

  @Test
  void reportsNothingWhenNoHandledSignalIsIgnored() {
    // SIGPIPE (13) and SIGQUIT (3) ignored are not pyrogate's concern.
    assertThat(IgnoredSignals.in(status("0000000000001004"))).isEmpty();
    assertThat(IgnoredSignals.in("no such line")).isEmpty();
  }
}
