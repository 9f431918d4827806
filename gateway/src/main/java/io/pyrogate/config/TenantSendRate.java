package io.pyrogate.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes per second an endpoint may send each tenant, counted over every pyrogate instance
 * of a cluster: the {@code tenant_send_rate} argument of an {@code endpoint} block, a pyrogate
 * extension. The bytes are those Pyroscope's distributor charges against the tenant's {@code
 * ingestion_rate_mb}; the burst is one second of the rate. Written as a size, e.g. {@code "4MiB"},
 * with the binary units of Alloy's and Prometheus' byte sizes (Go's {@code units.Base2Bytes}: KB is
 * KiB, as Pyroscope's "MB" is a MiB), or as plain bytes. {@link #toString()} is the argument's
 * value.
 *
 * @param text the value as written, null for {@link #NONE}
 * @param bytesPerSecond the rate, 0 for {@link #NONE}
 */
public record TenantSendRate(String text, long bytesPerSecond) {
  /** The argument's name in the endpoint block. */
  public static final String ARGUMENT = "tenant_send_rate";

  /** No budget: requests go as soon as they may, as Alloy's. */
  public static final TenantSendRate NONE = new TenantSendRate(null, 0);

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)([A-Za-z]*)");

  private static final Map<String, Long> UNITS =
      Map.of(
          "", 1L,
          "B", 1L,
          "KiB", 1L << 10,
          "KB", 1L << 10,
          "MiB", 1L << 20,
          "MB", 1L << 20,
          "GiB", 1L << 30,
          "GB", 1L << 30);

  /** Whether requests are held to a rate. */
  public boolean limited() {
    return bytesPerSecond > 0;
  }

  /**
   * A size such as {@code 4MiB}, {@code 512KiB}, {@code 1.5MB} or {@code 1048576} (bytes), more
   * than zero.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static TenantSendRate parse(String text) {
    Matcher m = SIZE.matcher(text);
    Long unit = m.matches() ? UNITS.get(m.group(2)) : null;
    if (unit == null) {
      throw new IllegalArgumentException(
          "expected bytes per second such as \"4MiB\", \"512KiB\" or \"1048576\" (units B, KiB,"
              + " MiB, GiB; KB, MB and GB are the same), got \""
              + text
              + "\"");
    }
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (bytes.compareTo(BigDecimal.ONE) < 0) {
      throw new IllegalArgumentException(
          "must be at least 1 byte per second, got \"" + text + "\"");
    }
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("is too large: \"" + text + "\"");
    }
    return new TenantSendRate(text, bytes.longValue());
  }

  @Override
  public String toString() {
    return limited() ? text : "none";
  }
}
