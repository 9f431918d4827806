package io.pyrogate.bench;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small writer of the pprof format (perftools.profiles.Profile), field numbers from
 * profile.proto. Stacks are given leaf first, as pprof wants them.
 */
public final class Pprof {
  private final List<String> strings = new ArrayList<>(List.of(""));
  private final Map<String, Long> stringIds = new HashMap<>();
  private final Map<String, Long> functionIds = new HashMap<>();
  private final Map<String, Long> locationIds = new HashMap<>();
  private final ByteArrayOutputStream functions = new ByteArrayOutputStream();
  private final ByteArrayOutputStream locations = new ByteArrayOutputStream();
  private final ByteArrayOutputStream samples = new ByteArrayOutputStream();
  private final long periodNanos;

  public Pprof(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  /** One frame: class.method in file at line. */
  public record Frame(String function, String file, int line) {}

  /** Adds a sample with values (samples=1, cpu=period) and thread and span_id labels. */
  public void addSample(List<Frame> leafFirst, String threadName, String spanId) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(body);
      for (Frame f : leafFirst) {
        s.writeUInt64(1, location(f));
      }
      s.writeInt64(2, 1);
      s.writeInt64(2, periodNanos);
      // Label { key = 1, str = 2 }
      ByteArrayOutputStream label = new ByteArrayOutputStream();
      CodedOutputStream l = CodedOutputStream.newInstance(label);
      l.writeInt64(1, string("thread"));
      l.writeInt64(2, string(threadName));
      l.flush();
      s.writeByteArray(3, label.toByteArray());
      label.reset();
      l = CodedOutputStream.newInstance(label);
      l.writeInt64(1, string("span_id"));
      l.writeInt64(2, string(spanId));
      l.flush();
      s.writeByteArray(3, label.toByteArray());
      s.flush();
      writeMessage(samples, 2, body.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] toByteArray(long timeNanos, long durationNanos) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream o = CodedOutputStream.newInstance(out);
      byte[] samplesType = valueType(string("samples"), string("count"));
      byte[] cpuType = valueType(string("cpu"), string("nanoseconds"));
      o.writeByteArray(1, samplesType);
      o.writeByteArray(1, cpuType);
      o.flush();
      samples.writeTo(out);
      locations.writeTo(out);
      functions.writeTo(out);
      o = CodedOutputStream.newInstance(out);
      for (String str : strings) {
        o.writeString(6, str);
      }
      o.writeInt64(9, timeNanos);
      o.writeInt64(10, durationNanos);
      o.writeByteArray(11, cpuType);
      o.writeInt64(12, periodNanos);
      o.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long location(Frame f) throws IOException {
    String key = f.function() + ":" + f.line();
    Long id = locationIds.get(key);
    if (id != null) {
      return id;
    }
    long fn = function(f);
    long newId = locationIds.size() + 1L;
    locationIds.put(key, newId);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    CodedOutputStream l = CodedOutputStream.newInstance(line);
    l.writeUInt64(1, fn);
    l.writeInt64(2, Math.max(0, f.line()));
    l.flush();
    ByteArrayOutputStream loc = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(loc);
    c.writeUInt64(1, newId);
    c.writeByteArray(4, line.toByteArray());
    c.flush();
    writeMessage(locations, 4, loc.toByteArray());
    return newId;
  }

  private long function(Frame f) throws IOException {
    Long id = functionIds.get(f.function());
    if (id != null) {
      return id;
    }
    long newId = functionIds.size() + 1L;
    functionIds.put(f.function(), newId);
    ByteArrayOutputStream fn = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(fn);
    c.writeUInt64(1, newId);
    c.writeInt64(2, string(f.function()));
    c.writeInt64(3, string(f.function()));
    c.writeInt64(4, string(f.file() == null ? "" : f.file()));
    c.flush();
    writeMessage(functions, 5, fn.toByteArray());
    return newId;
  }

  private long string(String s) {
    return stringIds.computeIfAbsent(
        s,
        k -> {
          strings.add(k);
          return (long) strings.size() - 1;
        });
  }

  private static byte[] valueType(long type, long unit) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(b);
    c.writeInt64(1, type);
    c.writeInt64(2, unit);
    c.flush();
    return b.toByteArray();
  }

  private static void writeMessage(ByteArrayOutputStream target, int field, byte[] message)
      throws IOException {
    CodedOutputStream c = CodedOutputStream.newInstance(target);
    c.writeByteArray(field, message);
    c.flush();
  }
}
