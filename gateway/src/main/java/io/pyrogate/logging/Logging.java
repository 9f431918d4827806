package io.pyrogate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.pyrogate.config.LoggingSettings;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link LoggingSettings} to the logging backend: the root level, the line format of
 * every {@link LineEncoder}, stack traces at debug only, and a floor under the level of Kafka's and
 * Netty's loggers, whose routine messages (a topic that already exists, a controller activating, a
 * connection closed at stop) would otherwise drown pyrogate's own. Does nothing when the JVM was
 * given its own logback configuration ({@code -Dlogback.configurationFile}): that file decides.
 */
public final class Logging {
  /**
   * The lowest level each of these loggers logs at, whatever the configured level. Kafka's clients
   * and broker are chatty at info; the named ones warn about routine events.
   */
  static final Map<String, Level> FLOORS =
      Map.of(
          "org.apache.kafka", Level.WARN,
          "kafka", Level.WARN,
          "state.change.logger", Level.WARN,
          "io.netty", Level.INFO,
          // Member lists, partition tables and migrations at every join; pyrogate logs joins and
          // leaves itself (ClusterRuntime).
          "com.hazelcast", Level.WARN,
          // WARN "CP Subsystem is not enabled" at every start: pyrogate uses no CP data structure.
          "com.hazelcast.cp", Level.ERROR,
          // WARN "...TOPIC_ALREADY_EXISTS" for each internal topic at the embedded broker's first
          // start.
          "org.apache.kafka.server.DefaultAutoTopicCreationManager", Level.ERROR,
          // WARN "Performing controller activation" at every start of the embedded broker.
          "org.apache.kafka.controller.QuorumController", Level.ERROR,
          // WARN at every reconnection attempt to an unreachable broker (dozens a minute, per
          // client), and "already been closed" at every stop; Health logs Kafka becoming
          // unreachable and reachable again, once each.
          "org.apache.kafka.clients.NetworkClient", Level.ERROR);

  private static volatile LoggingSettings current = LoggingSettings.defaults();

  private Logging() {}

  /** The settings last applied. */
  public static LoggingSettings current() {
    return current;
  }

  /** Applies {@code settings}; a no-op under a logback configuration of the user's. */
  public static void apply(LoggingSettings settings) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && LogConfigurator.configured(context)) {
      apply(context, settings);
    }
  }

  static synchronized void apply(LoggerContext context, LoggingSettings settings) {
    Level level = Level.toLevel(settings.level().name());
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
    FLOORS.forEach(
        (name, floor) ->
            context.getLogger(name).setLevel(level.isGreaterOrEqual(floor) ? level : floor));
    for (Iterator<Appender<ILoggingEvent>> it =
            context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
          && out.getEncoder() instanceof LineEncoder encoder) {
        encoder.setFormat(settings.format());
        encoder.setStackTraces(settings.level() == LoggingSettings.Level.DEBUG);
      }
    }
    current = settings;
  }
}
