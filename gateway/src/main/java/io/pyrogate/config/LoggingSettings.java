package io.pyrogate.config;

import java.util.Locale;

/**
 * Alloy's top-level {@code logging} block: the lowest level logged and the line format. {@code
 * write_to} (forwarding logs to loki components) has no counterpart in pyrogate.
 */
public record LoggingSettings(Level level, Format format) {
  /** Alloy's levels, lowest first. */
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    /** As Alloy writes it: {@code debug}, {@code info}, {@code warn}, {@code error}. */
    public String alloyName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Alloy's line formats. */
  public enum Format {
    /** {@code ts=... level=info msg="..." key=value}, Alloy's default. */
    LOGFMT,
    /** One JSON object per line. */
    JSON;

    public String alloyName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Alloy's defaults: info, logfmt. */
  public static LoggingSettings defaults() {
    return new LoggingSettings(Level.INFO, Format.LOGFMT);
  }

  public LoggingSettings withLevel(Level l) {
    return new LoggingSettings(l, format);
  }

  public LoggingSettings withFormat(Format f) {
    return new LoggingSettings(level, f);
  }
}
