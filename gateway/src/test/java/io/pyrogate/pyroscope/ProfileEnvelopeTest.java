package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.Profiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The envelope check on raw profile bytes: gzip, or a Profile whose top-level fields are well
 * formed.
 */
class ProfileEnvelopeTest {

  @Test
  void gzipAndPlainProfilesPass() throws IOException {
    byte[] gzipped = Profiles.jvmStacksPprof(1);
    assertThat(problem(gzipped)).isNull();
    byte[] plain = gunzip(gzipped);
    assertThat(problem(plain)).isNull();
    // Only the given window of a larger array is read.
    byte[] framed = new byte[plain.length + 20];
    Arrays.fill(framed, (byte) 0xff);
    System.arraycopy(plain, 0, framed, 10, plain.length);
    assertThat(ProfileEnvelope.problem(ByteBuffer.wrap(framed, 10, plain.length))).isNull();
    // An unknown field (number 100, varint) is skipped, as Go's decoder skips it.
    assertThat(problem(concat(plain, new byte[] {(byte) 0xa0, 0x06, 0x01}))).isNull();
  }

  @Test
  void bytesPyroscopeCannotReadAreRefused() throws IOException {
    byte[] plain = gunzip(Profiles.jvmStacksPprof(1));
    assertThat(problem(new byte[0])).isEqualTo("empty profile");
    assertThat(problem("not a profile at all".getBytes(StandardCharsets.US_ASCII)))
        .startsWith("not a gzip stream nor a pprof profile");
    assertThat(problem(new byte[] {0x1f, (byte) 0x8b, 0x08}))
        .isEqualTo("gzip header is truncated or not deflate");
    assertThat(problem(Arrays.copyOf(plain, plain.length - 3)))
        .as("truncated")
        .startsWith("not a gzip stream nor a pprof profile");
    assertThat(problem(new byte[] {0x00, 0x01})).contains("field number 0");
    assertThat(problem(new byte[] {0x0f})).contains("illegal wire type 7");
    assertThat(problem(new byte[] {0x08, 0x01})).contains("wrong wire type 0 for field 1");
    assertThat(problem(new byte[] {0x48, (byte) 0x80})).contains("truncated varint of field 9");
    assertThat(problem(new byte[] {0x0c})).contains("wrong wire type 4 for field 1");
    assertThat(problem(new byte[] {(byte) 0xa4, 0x06})).contains("unexpected end of group");
  }

  @Test
  void aProfileWithoutSampleTypeIsEmptyToPyroscope() {
    // time_nanos = 1, duration_nanos = 1: well formed, but no sample_type.
    assertThat(problem(new byte[] {0x48, 0x01, 0x50, 0x01})).isEqualTo("empty profile");
    assertThat(problem(new byte[] {0x48, 0x01, 0x0a, 0x00})).isNull();
  }

  private static String problem(byte[] bytes) {
    return ProfileEnvelope.problem(ByteBuffer.wrap(bytes));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
