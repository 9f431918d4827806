package io.pyrogate.testing;

import com.google.protobuf.ByteString;
import io.pyrogate.proto.pprof.ProfileProto;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Real profiles for tests: a gzipped pprof CPU-style profile sampled from this JVM's own thread
 * stacks, wrapped in push.v1 requests as SDKs and Alloy send them.
 */
public final class Profiles {
  private Profiles() {}

  /**
   * Samples every live thread's stack {@code rounds} times and encodes the result as gzipped pprof.
   */
  public static byte[] jvmStacksPprof(int rounds) {
    StringTable strings = new StringTable();
    ProfileProto.Profile.Builder p = ProfileProto.Profile.newBuilder();
    p.addSampleType(
        ProfileProto.ValueType.newBuilder()
            .setType(strings.id("samples"))
            .setUnit(strings.id("count")));
    p.addSampleType(
        ProfileProto.ValueType.newBuilder()
            .setType(strings.id("cpu"))
            .setUnit(strings.id("nanoseconds")));
    p.setPeriodType(
        ProfileProto.ValueType.newBuilder()
            .setType(strings.id("cpu"))
            .setUnit(strings.id("nanoseconds")));
    p.setPeriod(10_000_000L);
    Map<String, Long> functions = new HashMap<>();
    Map<String, Long> locations = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
        if (stack.length == 0) {
          continue;
        }
        ProfileProto.Sample.Builder sample =
            ProfileProto.Sample.newBuilder().addValue(1).addValue(10_000_000L);
        for (StackTraceElement frame : stack) {
          String name = frame.getClassName() + "." + frame.getMethodName();
          long fn =
              functions.computeIfAbsent(
                  name,
                  n -> {
                    long id = functions.size() + 1;
                    p.addFunction(
                        ProfileProto.Function.newBuilder()
                            .setId(id)
                            .setName(strings.id(n))
                            .setSystemName(strings.id(n))
                            .setFilename(strings.id(String.valueOf(frame.getFileName()))));
                    return id;
                  });
          String locKey = name + ":" + frame.getLineNumber();
          long loc =
              locations.computeIfAbsent(
                  locKey,
                  k -> {
                    long id = locations.size() + 1;
                    p.addLocation(
                        ProfileProto.Location.newBuilder()
                            .setId(id)
                            .addLine(
                                ProfileProto.Line.newBuilder()
                                    .setFunctionId(fn)
                                    .setLine(Math.max(0, frame.getLineNumber()))));
                    return id;
                  });
          sample.addLocationId(loc);
        }
        p.addSample(sample);
      }
    }
    p.setTimeNanos(System.currentTimeMillis() * 1_000_000L).setDurationNanos(10_000_000_000L);
    p.addAllStringTable(strings.all());
    return gzip(p.build().toByteArray());
  }

  /** A push request with one series of one sample, labelled like an SDK would. */
  public static PushRequest push(
      String serviceName, byte[] pprof, Map<String, String> extraLabels) {
    RawProfileSeries.Builder series =
        RawProfileSeries.newBuilder()
            .addLabels(LabelPair.newBuilder().setName("__name__").setValue("process_cpu"))
            .addLabels(LabelPair.newBuilder().setName("service_name").setValue(serviceName));
    extraLabels.forEach((k, v) -> series.addLabels(LabelPair.newBuilder().setName(k).setValue(v)));
    series.addSamples(
        RawSample.newBuilder()
            .setRawProfile(ByteString.copyFrom(pprof))
            .setID(UUID.randomUUID().toString()));
    return PushRequest.newBuilder().addSeries(series).build();
  }

  /** The sample IDs of a push request: what identifies "the same profile" across the pipeline. */
  public static List<String> sampleIds(PushRequest request) {
    return request.getSeriesList().stream()
        .flatMap(s -> s.getSamplesList().stream())
        .map(RawSample::getID)
        .toList();
  }

  /** {@code data} gzipped, as SDKs send a pprof. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static final class StringTable {
    private final Map<String, Long> ids = new HashMap<>();
    private final java.util.ArrayList<String> table = new java.util.ArrayList<>(List.of(""));

    long id(String s) {
      return ids.computeIfAbsent(
          s,
          k -> {
            table.add(k);
            return (long) table.size() - 1;
          });
    }

    List<String> all() {
      return table;
    }
  }
}
