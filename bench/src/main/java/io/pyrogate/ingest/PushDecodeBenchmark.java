package io.pyrogate.ingest;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.pyrogate.bench.Payloads;
import io.pyrogate.kafka.KafkaDefaults;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What ingest does with every push body: {@code PushDecoder.decode} (optional gunzip, parse, validate the
 * series labels). It lives in the gateway's package because the decoder is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PushDecodeBenchmark {
  private byte[] body;
  private byte[] gzipped;
  private String codec;

  @Setup
  public void setup() throws Exception {
    Payloads payloads = Payloads.load(Path.of(System.getProperty("bench.payloads", "bench/target/bench/payloads")), 50 * 1024);
    body = payloads.push(0).toByteArray();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(body);
    }
    gzipped = out.toByteArray();
    codec = PushDecoder.codec("application/proto");
  }

  @Benchmark
  public Object decodeProto() {
    return PushDecoder.decode(body, codec, false, KafkaDefaults.MAX_BODY_BYTES);
  }

  @Benchmark
  public Object decodeGzipProto() {
    return PushDecoder.decode(gzipped, codec, true, KafkaDefaults.MAX_BODY_BYTES);
  }
}
