package io.pyrogate.bench.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.bench.Payloads;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.pyroscope.ExternalLabels;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-record code on pyrogate's hot paths, on the same ~50 KB push request the load runs send:
 * record encoding to and from Kafka, external labels, and parsing a push request body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PerRecordBenchmark {
  private byte[] pushBytes;
  private PushRequest push;
  private ProfileRecord record;
  private ConsumerRecord<String, byte[]> consumed;
  private ExternalLabels externalLabels;
  private ExternalLabels noChange;

  @Setup
  public void setup() {
    Payloads payloads =
        Payloads.load(
            Path.of(System.getProperty("bench.payloads", "bench/target/bench/payloads")),
            50 * 1024);
    push = payloads.push(0);
    pushBytes = push.toByteArray();
    record = ProfileRecord.push("tenant-1", pushBytes, System.currentTimeMillis());
    ProducerRecord<String, byte[]> produced =
        RecordCodec.toKafka(
            "pyrogate.write.bench", RecordCodec.key("tenant-1", "bench-app-0"), record);
    consumed =
        new ConsumerRecord<>(
            produced.topic(),
            0,
            42L,
            produced.timestamp(),
            TimestampType.CREATE_TIME,
            -1,
            -1,
            produced.key(),
            produced.value(),
            produced.headers(),
            Optional.empty());
    externalLabels = new ExternalLabels(Map.of("cluster", "eu-1", "env", "prod", "region", ""));
    noChange = new ExternalLabels(Map.of("region", "eu-west-1"));
  }

  @Benchmark
  public ProducerRecord<String, byte[]> recordToKafka() {
    return RecordCodec.toKafka(
        "pyrogate.write.bench", RecordCodec.key("tenant-1", "bench-app-0"), record);
  }

  @Benchmark
  public ProfileRecord recordFromKafka() {
    return RecordCodec.fromKafka(consumed);
  }

  @Benchmark
  public PushRequest externalLabelsApply() {
    return externalLabels.apply(push);
  }

  @Benchmark
  public PushRequest externalLabelsUnchanged() {
    return noChange.apply(push);
  }

  @Benchmark
  public PushRequest parsePushRequest() throws InvalidProtocolBufferException {
    return PushRequest.parseFrom(pushBytes);
  }

  @Benchmark
  public byte[] externalLabelsApplyAndSerialize() {
    return externalLabels.apply(push).toByteArray();
  }
}
