package io.pyrogate.config;

import io.pyrogate.config.syntax.Block;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes Alloy's top-level {@code logging} block: {@code level} and {@code format}. Its {@code
 * write_to} (forwarding logs to Alloy's loki components, which pyrogate does not run) is accepted
 * with a warning, as the other parts of an Alloy file pyrogate does not run: the logs still go to
 * standard error.
 */
final class LoggingDecoder {
  private LoggingDecoder() {}

  static LoggingSettings read(Block b, BlockReader.Context ctx) {
    BlockReader r = BlockReader.of("logging", b, ctx);
    LoggingSettings d = LoggingSettings.defaults();
    LoggingSettings.Level level =
        choice(r, "level", LoggingSettings.Level.values()).orElse(d.level());
    LoggingSettings.Format format =
        choice(r, "format", LoggingSettings.Format.values()).orElse(d.format());
    if (r.has("write_to")) {
      ctx.diags()
          .warning(
              r.positionOf("write_to").orElseThrow(),
              "pyrogate does not forward its logs to other components; write_to is ignored and"
                  + " logs go to standard error only");
    }
    r.finish();
    return new LoggingSettings(level, format);
  }

  /** One of {@code values} by its Alloy name; an unknown one is reported with the valid ones. */
  private static <E extends Enum<E>> Optional<E> choice(BlockReader r, String name, E[] values) {
    Optional<String> given = r.string(name);
    if (given.isEmpty()) {
      return Optional.empty();
    }
    for (E v : values) {
      if (v.name().toLowerCase(Locale.ROOT).equals(given.get())) {
        return Optional.of(v);
      }
    }
    r.diagnostics()
        .error(
            r.positionOf(name).orElse(r.position()),
            "logging "
                + name
                + " \""
                + given.get()
                + "\" is not valid; use one of "
                + String.join(
                    ", ",
                    Arrays.stream(values)
                        .map(v -> "\"" + v.name().toLowerCase(Locale.ROOT) + "\"")
                        .toList()));
    return Optional.empty();
  }
}
