package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PushRequestsTest {

  private static byte[] request(byte[] profile) {
    return PushRequest.newBuilder()
        .addSeries(
            RawProfileSeries.newBuilder()
                .addLabels(LabelPair.newBuilder().setName("service_name").setValue("cart"))
                .addSamples(
                    RawSample.newBuilder()
                        .setRawProfile(ByteString.copyFrom(profile))
                        .setID("id-1")))
        .build()
        .toByteArray();
  }

  @Test
  void parsesWhatProtobufParses() throws Exception {
    byte[] profile = new byte[50_000];
    new Random(7).nextBytes(profile);
    byte[] bytes = request(profile);

    PushRequest parsed = PushRequests.parse(bytes);

    assertThat(parsed).isEqualTo(PushRequest.parseFrom(bytes));
    assertThat(parsed.getSeries(0).getSamples(0).getRawProfile().toByteArray()).isEqualTo(profile);
    assertThat(parsed.toByteArray()).isEqualTo(bytes);
  }

  @Test
  void refusesTruncatedAndMalformedInput() {
    byte[] bytes = request(new byte[1000]);

    assertThatThrownBy(() -> PushRequests.parse(Arrays.copyOf(bytes, bytes.length - 10)))
        .isInstanceOf(InvalidProtocolBufferException.class);
    // A lone end-group tag (field 1, wire type 4) ends a group that was never opened.
    assertThatThrownBy(() -> PushRequests.parse(new byte[] {0x0c}))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
