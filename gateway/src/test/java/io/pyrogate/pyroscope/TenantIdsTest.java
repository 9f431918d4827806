package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Tenant IDs as dskit's {@code tenant.TenantIDs} and {@code tenant.TenantID} read them for
 * Pyroscope's push path.
 */
class TenantIdsTest {

  @Test
  void idsOfTheAllowedCharactersUpTo150BytesAreAccepted() {
    assertThat(TenantIds.problem("team-a")).isNull();
    assertThat(TenantIds.problem("Az09!-_.*'()")).isNull();
    assertThat(TenantIds.problem("x".repeat(150))).isNull();
    assertThat(TenantIds.problem("...")).isNull();
    // dskit drops ":metadata" before it checks, and one tenant named twice is one tenant.
    assertThat(TenantIds.problem("123456:product=k6")).isNull();
    assertThat(TenantIds.problem("a|a")).isNull();
  }

  @Test
  void refusedIdsGetDskitsMessage() {
    assertThat(TenantIds.problem("team a"))
        .isEqualTo("tenant ID 'team a' contains unsupported character ' '");
    assertThat(TenantIds.problem("a/b"))
        .isEqualTo("tenant ID 'a/b' contains unsupported character '/'");
    assertThat(TenantIds.problem("caf\u00c3\u00a9"))
        .isEqualTo("tenant ID 'caf\u00c3\u00a9' contains unsupported character '\u00c3'");
    assertThat(TenantIds.problem("x".repeat(151)))
        .isEqualTo("tenant ID is too long: max 150 characters");
    assertThat(TenantIds.problem(".")).isEqualTo("tenant ID is '.' or '..'");
    assertThat(TenantIds.problem("..")).isEqualTo("tenant ID is '.' or '..'");
    assertThat(TenantIds.problem("a|b")).isEqualTo("multiple org IDs present");
    assertThat(TenantIds.problem("a|b c"))
        .as("every ID is checked before the count")
        .isEqualTo("tenant ID 'b c' contains unsupported character ' '");
  }
}
