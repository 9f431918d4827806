package io.pyrogate.config;

import java.util.Objects;

/**
 * A value that must never be shown: passwords, tokens, credentials, client secrets, private keys.
 * Its {@link #toString()} is "(secret)"; only {@link #reveal()} gives the value, at the point of
 * use.
 */
public final class Secret {
  /** How every secret is shown. */
  public static final String SHOWN = "(secret)";

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return SHOWN;
  }
}
