package io.pyrogate.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.pyrogate.config.LoggingSettings;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Sets logback up when the JVM starts, before the configuration file is read: one line per event on
 * standard error (as Alloy logs), in logfmt at info, or at the level of the system property {@code
 * pyrogate.log.level} (the test suites run at warn). {@code pyrogate run} then applies the {@code
 * logging} block and the {@code --log.*} flags through {@link Logging}. Steps aside for a logback
 * configuration of the user's ({@code -Dlogback.configurationFile}). Found by logback through
 * {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  /** Marks a logger context this class set up. */
  private static final String MARK = "pyrogate.logging";

  /** The system property naming the level before the configuration is read. */
  static final String LEVEL_PROPERTY = "pyrogate.log.level";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LineEncoder encoder = new LineEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(stderr);
    context.putObject(MARK, Boolean.TRUE);
    Logging.apply(context, LoggingSettings.defaults().withLevel(initialLevel()));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static boolean configured(LoggerContext context) {
    return context.getObject(MARK) != null;
  }

  private static LoggingSettings.Level initialLevel() {
    String property = System.getProperty(LEVEL_PROPERTY);
    if (property != null) {
      try {
        return LoggingSettings.Level.valueOf(property.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        // fall through to info: the property is a test harness' convenience, not a user setting
      }
    }
    return LoggingSettings.Level.INFO;
  }
}
