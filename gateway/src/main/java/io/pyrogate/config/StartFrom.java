package io.pyrogate.config;

import io.pyrogate.golang.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Where a new endpoint starts reading its write's topic: the {@code start_from} argument of an
 * {@code endpoint} block, a pyrogate extension. Used only when the endpoint's consumer group has no
 * committed offset yet; a group that has one goes on from it. {@link #toString()} is the argument's
 * value.
 */
public sealed interface StartFrom {
  /** The argument's name in the endpoint block. */
  String ARGUMENT = "start_from";

  /** What is stored from the moment the endpoint is created on: Alloy's only behaviour. */
  StartFrom END = new End();

  /** The end of the topic (the default). */
  record End() implements StartFrom {
    @Override
    public String toString() {
      return "end";
    }
  }

  /** The earliest record the topic still holds. */
  record Earliest() implements StartFrom {
    @Override
    public String toString() {
      return "earliest";
    }
  }

  /** The first record stored at or after a time; the end when there is none. */
  sealed interface Timed extends StartFrom permits At, Ago {
    /** The time, for a start at {@code now}. */
    Instant time(Instant now);
  }

  /** A time given as RFC 3339, e.g. {@code 2026-11-25T10:00:00Z}. */
  record At(Instant time) implements Timed {
    @Override
    public Instant time(Instant now) {
      return time;
    }

    @Override
    public String toString() {
      return time.toString();
    }
  }

  /** A duration before the endpoint's start, e.g. {@code 6h}, as written. */
  record Ago(String text, Duration duration) implements Timed {
    @Override
    public Instant time(Instant now) {
      return now.minus(duration);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * {@code "end"}, {@code "earliest"}, an RFC 3339 time or a Go duration ago ({@link #parseTime}).
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static StartFrom parse(String text) {
    if (text.equals("end")) {
      return END;
    } else if (text.equals("earliest")) {
      return new Earliest();
    }
    try {
      return parseTime(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected \"end\", \"earliest\" or " + e.getMessage(), e);
    }
  }

  /**
   * An RFC 3339 time such as {@code 2026-11-25T10:00:00Z}, or a Go duration ago such as {@code 2h}.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static Timed parseTime(String text) {
    try {
      return new At(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException notATime) {
      try {
        Duration ago = Durations.parse(text);
        if (!ago.isNegative()) {
          return new Ago(text, ago);
        }
      } catch (IllegalArgumentException notADuration) {
        // reported below
      }
      throw new IllegalArgumentException(
          "an RFC 3339 time such as 2026-11-25T10:00:00Z or a duration such as 2h, got \""
              + text
              + "\"");
    }
  }
}
