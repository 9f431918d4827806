package io.pyrogate.golang;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations as Alloy reads them, with Go's {@code time.ParseDuration}: an optional sign, then one
 * or more {@code number unit} pairs such as {@code "300ms"}, {@code "-1.5h"} or {@code "2h45m"}.
 * Units are {@code ns}, {@code us} ({@code µs} and {@code μs} too), {@code ms}, {@code s}, {@code
 * m} and {@code h}; there is no {@code d}. A bare number is not a duration, except {@code "0"}.
 * Fractions below a nanosecond are truncated, and the result must fit Go's ±292 years.
 */
public final class Durations {

  private static final String UNITS = "ns, us, µs, ms, s, m, h";
  private static final BigInteger MAX_NANOS = BigInteger.ONE.shiftLeft(63); // |min| of int64

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message for the user, e.g. {@code invalid duration
   *     "5d": unknown unit "d" (valid units are ns, us, µs, ms, s, m, h)}
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid duration: no value");
    }
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, text.isEmpty() ? "empty string" : "expected a number after the sign");
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      boolean intDigits = i > numberStart;
      boolean fracDigits = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
        fracDigits = i > fracStart;
      }
      String number = s.substring(numberStart, i);
      if (!intDigits && !fracDigits) {
        int unitEnd = unitEnd(s, i);
        throw invalid(
            text,
            "expected a number"
                + (unitEnd > i ? " before \"" + s.substring(i, unitEnd) + "\"" : ""));
      }
      int unitEnd = unitEnd(s, i);
      if (unitEnd == i) {
        throw invalid(text, "missing unit after " + number + " (valid units are " + UNITS + ")");
      }
      String unit = s.substring(i, unitEnd);
      long nanosPerUnit = nanos(unit);
      if (nanosPerUnit == 0) {
        throw invalid(text, "unknown unit \"" + unit + "\" (valid units are " + UNITS + ")");
      }
      i = unitEnd;
      BigDecimal value =
          new BigDecimal(
              number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number);
      total = total.add(value.multiply(BigDecimal.valueOf(nanosPerUnit)).toBigInteger());
      if (total.compareTo(MAX_NANOS) > 0) {
        throw invalid(text, "out of range (at most about 292 years)");
      }
    }
    if (!negative && total.equals(MAX_NANOS)) {
      throw invalid(text, "out of range (at most about 292 years)");
    }
    long nanos = negative ? total.negate().longValue() : total.longValue();
    return Duration.ofNanos(nanos);
  }

  private static int unitEnd(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static long nanos(String unit) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "\u00b5s": // micro sign
      case "\u03bcs": // Greek small letter mu
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        return 0;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException("invalid duration " + Strconv.quote(text) + ": " + reason);
  }
}
