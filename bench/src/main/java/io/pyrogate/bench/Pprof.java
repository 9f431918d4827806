package io.pyrogate.bench;

import io.pyrogate.proto.pprof.ProfileProto.Function;
import io.pyrogate.proto.pprof.ProfileProto.Label;
import io.pyrogate.proto.pprof.ProfileProto.Line;
import io.pyrogate.proto.pprof.ProfileProto.Location;
import io.pyrogate.proto.pprof.ProfileProto.Profile;
import io.pyrogate.proto.pprof.ProfileProto.Sample;
import io.pyrogate.proto.pprof.ProfileProto.ValueType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a CPU profile in the pprof format with the classes generated from {@code
 * schemas/perftools/profiles/profile.proto}: a string table, one function per method and one
 * location per method and line. Stacks are given leaf first, as pprof wants them.
 */
public final class Pprof {
  private final Profile.Builder profile = Profile.newBuilder();
  private final Map<String, Long> stringIds = new HashMap<>();
  private final Map<String, Long> functionIds = new HashMap<>();
  private final Map<String, Long> locationIds = new HashMap<>();
  private final long periodNanos;

  public Pprof(long periodNanos) {
    this.periodNanos = periodNanos;
    string("");
  }

  /** One frame: class.method in file at line. */
  public record Frame(String function, String file, int line) {}

  /** Adds a sample with values (samples=1, cpu=period) and thread and span_id labels. */
  public void addSample(List<Frame> leafFirst, String threadName, String spanId) {
    Sample.Builder sample = Sample.newBuilder().addValue(1).addValue(periodNanos);
    for (Frame f : leafFirst) {
      sample.addLocationId(location(f));
    }
    sample.addLabel(Label.newBuilder().setKey(string("thread")).setStr(string(threadName)));
    sample.addLabel(Label.newBuilder().setKey(string("span_id")).setStr(string(spanId)));
    profile.addSample(sample);
  }

  public byte[] toByteArray(long timeNanos, long durationNanos) {
    ValueType cpu = valueType("cpu", "nanoseconds");
    return profile
        .clone()
        .addSampleType(valueType("samples", "count"))
        .addSampleType(cpu)
        .setTimeNanos(timeNanos)
        .setDurationNanos(durationNanos)
        .setPeriodType(cpu)
        .setPeriod(periodNanos)
        .build()
        .toByteArray();
  }

  private long location(Frame f) {
    String key = f.function() + ":" + f.line();
    Long id = locationIds.get(key);
    if (id != null) {
      return id;
    }
    long newId = locationIds.size() + 1L;
    locationIds.put(key, newId);
    profile.addLocation(
        Location.newBuilder()
            .setId(newId)
            .addLine(Line.newBuilder().setFunctionId(function(f)).setLine(Math.max(0, f.line()))));
    return newId;
  }

  private long function(Frame f) {
    Long id = functionIds.get(f.function());
    if (id != null) {
      return id;
    }
    long newId = functionIds.size() + 1L;
    functionIds.put(f.function(), newId);
    profile.addFunction(
        Function.newBuilder()
            .setId(newId)
            .setName(string(f.function()))
            .setSystemName(string(f.function()))
            .setFilename(string(f.file() == null ? "" : f.file())));
    return newId;
  }

  private ValueType valueType(String type, String unit) {
    return ValueType.newBuilder().setType(string(type)).setUnit(string(unit)).build();
  }

  private long string(String s) {
    Long id = stringIds.get(s);
    if (id == null) {
      id = (long) profile.getStringTableCount();
      stringIds.put(s, id);
      profile.addStringTable(s);
    }
    return id;
  }
}
