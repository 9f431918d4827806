package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.testing.Profiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What a request costs of its tenant's budget ({@link RequestCost}): what Pyroscope charges, label
 * bytes plus each profile decompressed, read from gzip trailers without decompressing.
 */
class RequestCostTest {

  @Test
  void aPushRecordCostsItsLabelsAndItsProfilesDecompressed() {
    byte[] profile = randomish(30_000);
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addLabels(label("__name__", "process_cpu")) // 8 + 11
                    .addLabels(label("service_name", "checkout")) // 12 + 8
                    .addSamples(sample(Profiles.gzip(profile), "id-1"))
                    .addSamples(sample(new byte[] {1, 2, 3, 4, 5}, "id-2")))
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addLabels(label("é", "ü")) // 2 + 2 bytes in UTF-8
                    .addSamples(sample(Profiles.gzip(new byte[0]), "id-3")))
            .build();
    assertThat(RequestCost.of(push(request.toByteArray())))
        .isEqualTo(8 + 11 + 12 + 8 + 30_000 + 5 + 2 + 2 + 0);
  }

  @Test
  void aBatchCostsTheSumOfItsRecords() {
    PushRequest one =
        PushRequest.newBuilder()
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addLabels(label("a", "b"))
                    .addSamples(sample(Profiles.gzip(randomish(1000)), "x")))
            .build();
    Send batch = new Send(null);
    batch.add(held(), push(one.toByteArray()));
    batch.add(held(), push(one.toByteArray()));
    assertThat(batch.cost).isEqualTo(2 * (1 + 1 + 1000));
  }

  @Test
  void otherRecordsCostTheirBodyOrWhatItsGzipTrailerSays() {
    byte[] body = "foo;bar 1\n".getBytes(StandardCharsets.UTF_8);
    assertThat(RequestCost.of(record(ProfileRecord.Kind.INGEST, null, body))).isEqualTo(10);
    byte[] pushRequest =
        PushRequest.newBuilder()
            .addSeries(RawProfileSeries.newBuilder().addSamples(sample(randomish(70_000), "x")))
            .build()
            .toByteArray();
    assertThat(RequestCost.of(record(ProfileRecord.Kind.PUSH, "gzip", Profiles.gzip(pushRequest))))
        .as("a record stored gzip-encoded")
        .isEqualTo(pushRequest.length);
    byte[] notAPushRequest = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, 1};
    assertThat(RequestCost.of(push(notAPushRequest))).isEqualTo(4);
    byte[] truncated = Arrays.copyOf(pushRequest, pushRequest.length / 2);
    assertThat(RequestCost.of(push(truncated))).isEqualTo(truncated.length);
  }

  private static ProfileRecord push(byte[] payload) {
    return ProfileRecord.push("t", payload, 0);
  }

  private static ProfileRecord record(ProfileRecord.Kind kind, String encoding, byte[] payload) {
    return new ProfileRecord(
        kind, null, RecordCodec.CONTENT_TYPE_PROTO, encoding, null, 0, payload);
  }

  private static ConsumerWindow.Held held() {
    return new ConsumerWindow.Held(new ConsumerRecord<>("t", 0, 0, null, new byte[0]));
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }

  private static RawSample sample(byte[] profile, String id) {
    return RawSample.newBuilder().setRawProfile(ByteString.copyFrom(profile)).setID(id).build();
  }

  /** Bytes that compress somewhat, as a profile does. */
  private static byte[] randomish(int n) {
    Random random = new Random(n);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (random.nextInt(16) + 'a');
    }
    return b;
  }
}
