package io.pyrogate.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.pyrogate.config.LoggingSettings;
import io.pyrogate.logging.LineEncoder;
import io.pyrogate.logging.Logging;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every line pyrogate logs, encoded as it would be on standard error, while applying the
 * given logging settings; closing restores the settings in effect before.
 */
public final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final LoggingSettings before = Logging.current();

  private LogCapture(LoggingSettings settings) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LineEncoder encoder = new LineEncoder();
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setName("capture");
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.setImmediateFlush(true);
    appender.start();
    root().addAppender(appender);
    Logging.apply(settings);
  }

  /** Captures from now on at {@code settings}. */
  public static LogCapture start(LoggingSettings settings) {
    return new LogCapture(settings);
  }

  /** Captures from now on at info, in logfmt. */
  public static LogCapture atInfo() {
    return start(LoggingSettings.defaults());
  }

  /** The lines logged so far. */
  public List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** Everything logged so far. */
  public String text() {
    return String.join("\n", lines());
  }

  @Override
  public void close() {
    root().detachAppender(appender);
    appender.stop();
    Logging.apply(before);
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }
}
