package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static final String BOUNDARY = "ae3e5a2c1b7f4d0f9c8e6b5a4d3c2b1a";

  @Test
  void partsComeBackByteForByteWhateverTheirContentHoldsOfTheDelimiter() throws Exception {
    Random random = new Random(42);
    byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 200; round++) {
      byte[] jfr = new byte[random.nextInt(5_000)];
      random.nextBytes(jfr);
      // Near misses of the delimiter: every proper prefix, and the delimiter with its last byte
      // changed.
      for (int k = 0; k < 5 && jfr.length > delimiter.length; k++) {
        int at = random.nextInt(jfr.length - delimiter.length);
        int len = 1 + random.nextInt(delimiter.length - 1);
        System.arraycopy(delimiter, 0, jfr, at, len);
        if (len == delimiter.length - 1) {
          jfr[at + len] = (byte) (delimiter[len] ^ 1);
        }
      }
      byte[] labels = "{\"labels\":[]}".getBytes(StandardCharsets.UTF_8);
      byte[] body = form(jfr, labels);

      List<Multipart.Part> parts = Multipart.parse(body, BOUNDARY);

      assertThat(parts).extracting(Multipart.Part::name).containsExactly("jfr", "labels");
      assertThat(Arrays.copyOfRange(body, parts.get(0).start(), parts.get(0).end())).isEqualTo(jfr);
      assertThat(Arrays.copyOfRange(body, parts.get(1).start(), parts.get(1).end()))
          .isEqualTo(labels);
    }
  }

  private static byte[] form(byte[] jfr, byte[] labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"jfr\"; filename=\"jfr\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(jfr);
    out.writeBytes(
        ("\r\n--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"labels\"; filename=\"labels\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(labels);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
