package io.pyrogate.reliability;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.bench.Pprof;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The profiles the suite pushes: valid push.v1 requests of one series and one sample (a real
 * gzipped pprof), each with a unique {@code rel_id} label, so that receivers and the dead-letter
 * topic can be counted by id.
 */
public final class Profiles {
  /** The label that carries each profile's unique id. */
  public static final String ID_LABEL = "rel_id";

  private static final byte[] SMALL_PPROF = pprof(0);

  private Profiles() {}

  /** A push request of profile {@code id} for service {@code service}. */
  public static byte[] push(String service, String id) {
    return push(service, id, SMALL_PPROF);
  }

  /** A push request of profile {@code id} carrying {@code pprofGz} as its sample. */
  public static byte[] push(String service, String id, byte[] pprofGz) {
    return PushRequest.newBuilder()
        .addSeries(
            RawProfileSeries.newBuilder()
                .addLabels(label("__name__", "process_cpu"))
                .addLabels(label("service_name", service))
                .addLabels(label(ID_LABEL, id))
                .addSamples(
                    RawSample.newBuilder().setRawProfile(ByteString.copyFrom(pprofGz)).setID(id)))
        .build()
        .toByteArray();
  }

  /** A small gzipped pprof of a few Java frames. */
  public static byte[] smallPprof() {
    return SMALL_PPROF.clone();
  }

  /**
   * A gzipped pprof of about {@code incompressibleBytes} on the wire: its sample's thread label is
   * that many random hex digits (random, so gzip cannot shrink it below half), to fill a disk with
   * few requests.
   */
  public static byte[] pprof(int incompressibleBytes) {
    Pprof p = new Pprof(10_000_000L);
    StringBuilder thread = new StringBuilder("worker-1");
    Random random = new Random(incompressibleBytes);
    while (thread.length() < 2L * incompressibleBytes) {
      thread.append(Long.toHexString(random.nextLong()));
    }
    p.addSample(
        List.of(
            new Pprof.Frame("com.example.Checkout.total", "com/example/Checkout.java", 42),
            new Pprof.Frame("com.example.Server.handle", "com/example/Server.java", 7)),
        thread.toString(),
        "0af7651916cd43dd");
    return gzip(p.toByteArray(System.currentTimeMillis() * 1_000_000L, 10_000_000_000L));
  }

  /** The {@code rel_id}s of the series of a serialized push request; empty when it is not one. */
  public static Set<String> ids(byte[] pushRequest) {
    Set<String> ids = new HashSet<>();
    try {
      for (RawProfileSeries s : PushRequest.parseFrom(pushRequest).getSeriesList()) {
        for (LabelPair l : s.getLabelsList()) {
          if (l.getName().equals(ID_LABEL)) {
            ids.add(l.getValue());
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return Set.of();
    }
    return ids;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }
}
