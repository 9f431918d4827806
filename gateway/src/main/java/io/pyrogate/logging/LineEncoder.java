package io.pyrogate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrogate.config.LoggingSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each logging event as one line in Alloy's formats: {@code logfmt} ({@code ts=...
 * level=info msg="..." logger=Gateway component=... endpoint=...}) or {@code json} (the same fields
 * as one JSON object). The event's SLF4J key-value pairs and MDC follow the fixed fields; an
 * exception is an {@code err} field with its message, and its stack trace (a {@code stacktrace}
 * field, still on the one line) only when the level is debug. The format and the stack traces can
 * change while pyrogate runs.
 */
public final class LineEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();

  private volatile LoggingSettings.Format format = LoggingSettings.Format.LOGFMT;
  private volatile boolean stackTraces;

  public void setFormat(LoggingSettings.Format f) {
    this.format = f;
  }

  public void setStackTraces(boolean on) {
    this.stackTraces = on;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    Map<String, String> fields = fields(event);
    String line = format == LoggingSettings.Format.JSON ? json(fields) : logfmt(fields);
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, String> fields(ILoggingEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("ts", event.getInstant().toString());
    fields.put("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
    fields.put("msg", event.getFormattedMessage());
    String logger = event.getLoggerName();
    fields.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        fields.put(kv.key, String.valueOf(kv.value));
      }
    }
    event.getMDCPropertyMap().forEach(fields::putIfAbsent);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      fields.put("err", describe(thrown));
      if (stackTraces) {
        fields.put("stacktrace", ThrowableProxyUtil.asString(thrown));
      }
    }
    return fields;
  }

  /** The exception and its root cause, one line each: "Class: message". */
  private static String describe(IThrowableProxy thrown) {
    IThrowableProxy root = thrown;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = line(thrown);
    return root == thrown ? top : top + " (caused by " + line(root) + ")";
  }

  private static String line(IThrowableProxy t) {
    String name = t.getClassName().substring(t.getClassName().lastIndexOf('.') + 1);
    return t.getMessage() == null ? name : name + ": " + t.getMessage();
  }

  private static String logfmt(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach(
        (key, value) -> {
          if (b.length() > 0) {
            b.append(' ');
          }
          b.append(key).append('=');
          appendLogfmtValue(b, value);
        });
    return b.toString();
  }

  /** Quoted, as go-logfmt does, when empty or holding a space, '=', '"' or a control character. */
  private static void appendLogfmtValue(StringBuilder b, String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c <= ' ' || c == '=' || c == '"' || c == 0x7f;
    }
    if (!quote) {
      b.append(value);
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static String json(Map<String, String> fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> f : fields.entrySet()) {
        g.writeStringField(f.getKey(), f.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
