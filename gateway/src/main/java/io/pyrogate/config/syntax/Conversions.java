package io.pyrogate.config.syntax;

import io.pyrogate.golang.Strconv;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Alloy's conversions of a value decoded into a typed argument ({@code convertValue} in Alloy's
 * {@code syntax/internal/value/value.go}, used by {@code decode.go} for every attribute and
 * function argument): a string holding a number converts to a number, a number to a string, and
 * nothing else converts: no string to bool or the reverse, and a secret is made from a string only.
 * What does not convert is reported in Alloy's words, {@code "abc" should be number, got string}
 * (see {@link #mismatch}).
 */
public final class Conversions {
  private Conversions() {}

  /**
   * The value decoded into a Go {@code int}: an integer as it is, a float truncated toward zero
   * (Go's {@code int(f)}), a string read as a number with Alloy's rules, then so; empty for
   * anything else, or a string that is not a number. Alloy's rules for a string: empty is not a
   * number; a leading {@code -} reads it as a signed integer ({@code strconv.ParseInt}, so {@code
   * "-1.5"} is not a number); one of {@code . e E} as a float ({@code ParseFloat}, so {@code "1e3"}
   * is 1000); anything else as an unsigned integer ({@code ParseUint}: no sign, no spaces, no base
   * prefix, up to 2^64 - 1, which reads as Go's {@code int(u)}: the long with the same bits).
   */
  public static OptionalLong toInteger(Value v) {
    if (v instanceof NumberValue n) {
      return OptionalLong.of(n.value());
    } else if (v instanceof FloatValue f) {
      return OptionalLong.of((long) f.value());
    } else if (v instanceof StringValue s) {
      return parseInteger(s.value());
    }
    return OptionalLong.empty();
  }

  private static OptionalLong parseInteger(String s) {
    try {
      if (s.isEmpty()) {
        return OptionalLong.empty();
      } else if (s.charAt(0) == '-') {
        return OptionalLong.of(Strconv.parseInt(s));
      } else if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
        return OptionalLong.of((long) Strconv.parseFloat(s));
      }
      return OptionalLong.of(Strconv.parseUint(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The value decoded into a Go {@code string}: a string as it is, a number formatted as Alloy
   * formats it ({@code strconv.FormatInt}, or {@code FormatFloat(f, 'f', -1, 64)}: 1e21 is {@code
   * "1000000000000000000000"}, 0.5 is {@code "0.5"}); empty for anything else.
   */
  public static Optional<String> toText(Value v) {
    if (v instanceof StringValue s) {
      return Optional.of(s.value());
    } else if (v instanceof NumberValue n) {
      return Optional.of(Long.toString(n.value()));
    } else if (v instanceof FloatValue f) {
      String body = Strconv.formatFloat(Math.abs(f.value()), 'f', -1);
      return Optional.of((f.value() < 0 ? "-" : "") + body);
    }
    return Optional.empty();
  }

  /**
   * Alloy's message for a value that does not convert to the type an argument expects: {@code
   * subject should be expected, got actual} (Alloy's {@code vm} error for a {@code TypeError}).
   *
   * @param subject the expression as written, e.g. {@code "abc"} or {@code sys.env("PORT")}
   * @param expected Alloy's name of the expected type: {@code number}, {@code string}, {@code
   *     bool}, {@code array}, {@code object} or {@code capsule} (a secret)
   */
  public static String mismatch(String subject, String expected, Value got) {
    return subject + " should be " + expected + ", got " + got.typeName();
  }
}
