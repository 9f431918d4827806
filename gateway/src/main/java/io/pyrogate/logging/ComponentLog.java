package io.pyrogate.logging;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger for one component, and optionally one of its endpoints: every event carries them as the
 * key-value fields {@code component} (e.g. {@code pyroscope.write.staging}) and {@code endpoint}
 * (the endpoint's name), so its lines can be picked out however many components share a thread.
 */
public final class ComponentLog {
  private final Logger log;
  private final String component;
  private final String endpoint;

  private ComponentLog(Logger log, String component, String endpoint) {
    this.log = log;
    this.component = component;
    this.endpoint = endpoint;
  }

  /**
   * @param type the class logging, which names the logger
   * @param component the component's Alloy name, e.g. {@code pyroscope.receive_http.default}
   */
  public static ComponentLog of(Class<?> type, String component) {
    return new ComponentLog(LoggerFactory.getLogger(type), component, null);
  }

  /** The same component's log for one of its endpoints. */
  public ComponentLog endpoint(String name) {
    return new ComponentLog(log, component, name);
  }

  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }

  public void debug(String format, Object... args) {
    log(log.atDebug(), format, args);
  }

  public void info(String format, Object... args) {
    log(log.atInfo(), format, args);
  }

  public void warn(String format, Object... args) {
    log(log.atWarn(), format, args);
  }

  public void error(String format, Object... args) {
    log(log.atError(), format, args);
  }

  /** As SLF4J's own methods do, a last argument that is a Throwable is the event's exception. */
  private void log(LoggingEventBuilder event, String format, Object[] args) {
    event.addKeyValue("component", component);
    if (endpoint != null) {
      event.addKeyValue("endpoint", endpoint);
    }
    if (args.length > 0 && args[args.length - 1] instanceof Throwable thrown) {
      event.setCause(thrown);
      args = Arrays.copyOf(args, args.length - 1);
    }
    event.log(format, args);
  }
}
