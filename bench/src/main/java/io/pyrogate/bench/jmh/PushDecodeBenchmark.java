package io.pyrogate.bench.jmh;

import com.google.protobuf.ByteString;
import io.pyrogate.bench.Payloads;
import io.pyrogate.ingest.PushDecoder;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.pyroscope.ProfileEnvelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What ingest does with every push body: {@code PushDecoder.decode} (optional gunzip, parse, the
 * envelope check of each raw profile, validate the series labels), and the envelope check alone on
 * a gzipped and on a plain pprof (its cost per profile).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PushDecodeBenchmark {
  private byte[] body;
  private byte[] gzipped;
  private byte[] plainBody;
  private byte[] profileGz;
  private byte[] profilePlain;
  private String codec;

  @Setup
  public void setup() throws Exception {
    Payloads payloads =
        Payloads.load(
            Path.of(System.getProperty("bench.payloads", "bench/target/bench/payloads")),
            50 * 1024);
    body = payloads.push(0).toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    gzipped = out.toByteArray();
    codec = PushDecoder.codec("application/proto");
    PushRequest request = payloads.push(0);
    profileGz = request.getSeries(0).getSamples(0).getRawProfile().toByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(profileGz))) {
      profilePlain = in.readAllBytes();
    }
    plainBody =
        PushRequest.newBuilder(request)
            .setSeries(
                0,
                RawProfileSeries.newBuilder(request.getSeries(0))
                    .setSamples(
                        0,
                        RawSample.newBuilder(request.getSeries(0).getSamples(0))
                            .setRawProfile(ByteString.copyFrom(profilePlain))))
            .build()
            .toByteArray();
  }

  @Benchmark
  public Object decodeProto() {
    return PushDecoder.decode(body, codec, false, KafkaDefaults.MAX_BODY_BYTES);
  }

  /** A push whose raw profile is plain pprof: the envelope check walks every top-level field. */
  @Benchmark
  public Object decodeProtoPlainProfile() {
    return PushDecoder.decode(plainBody, codec, false, KafkaDefaults.MAX_BODY_BYTES);
  }

  @Benchmark
  public Object envelopeGzipProfile() {
    return ProfileEnvelope.problem(ByteBuffer.wrap(profileGz));
  }

  @Benchmark
  public Object envelopePlainProfile() {
    return ProfileEnvelope.problem(ByteBuffer.wrap(profilePlain));
  }

  @Benchmark
  public Object decodeGzipProto() {
    return PushDecoder.decode(gzipped, codec, true, KafkaDefaults.MAX_BODY_BYTES);
  }
}
