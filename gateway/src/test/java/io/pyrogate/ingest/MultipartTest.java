package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multipart reads the structure of a form as Go's mime/multipart reader (which Pyroscope uses)
 * accepts it, and refuses what it refuses with the message a client sees in the 400 answer.
 */
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String content(byte[] body, Multipart.Part part) {
    return new String(body, part.start(), part.length(), StandardCharsets.ISO_8859_1);
  }

  private static String part(String name, String fileName, String content) {
    return "--b\r\nContent-Disposition: form-data; name=\""
        + name
        + "\""
        + (fileName == null ? "" : "; filename=\"" + fileName + "\"")
        + "\r\n\r\n"
        + content
        + "\r\n";
  }

  @Test
  void boundaryIsTheContentTypesParameterQuotedOrNot() throws Exception {
    assertThat(Multipart.boundary("multipart/form-data; boundary=abc-123")).isEqualTo("abc-123");
    assertThat(Multipart.boundary("Multipart/Form-Data;BOUNDARY=\"a b:c/d\"")).isEqualTo("a b:c/d");
    assertThat(Multipart.boundary("multipart/form-data; charset=utf-8; boundary=\"q\\\"x\"; a=b"))
        .isEqualTo("q\"x");
    assertThat(Multipart.boundary("multipart/form-data;; boundary=x")).isEqualTo("x");
    assertThat(Multipart.boundary("multipart/form-data; boundary=" + "x".repeat(70))).hasSize(70);
  }

  @Test
  void refusesAContentTypeWithoutAUsableBoundary() {
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data"))
        .hasMessage("malformed multipart content type header");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; charset=utf-8"))
        .hasMessage("malformed multipart content type header");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary=\"\""))
        .hasMessage("multipart: boundary is empty or longer than 70 characters");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary=" + "x".repeat(71)))
        .hasMessage("multipart: boundary is empty or longer than 70 characters");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary=\"abc"))
        .hasMessage("mime: invalid media parameter");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary="))
        .hasMessage("mime: invalid media parameter");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary=a b"))
        .hasMessage("mime: invalid media parameter");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary=a; Boundary=b"))
        .hasMessage("mime: duplicate parameter name");
  }

  @Test
  void readsPartsWithTheirNamesFileNamesAndContent() throws Exception {
    byte[] body =
        bytes(
            "preamble line\r\n--b\r\n"
                + "content-DISPOSITION: form-data; name=\"profile\"; filename=\"cpu.pprof\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "PPROF\r\n--b-not-a-delimiter\r\n--bx\r\n"
                + "--b  \t\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "plain value\r\n"
                + "--b--\r\nepilogue, ignored");

    List<Multipart.Part> parts = Multipart.parse(body, "b");

    assertThat(parts)
        .extracting(Multipart.Part::name, Multipart.Part::fileName, Multipart.Part::isFile)
        .containsExactly(tuple("profile", "cpu.pprof", true), tuple("note", null, false));
    assertThat(content(body, parts.get(0))).isEqualTo("PPROF\r\n--b-not-a-delimiter\r\n--bx");
    assertThat(content(body, parts.get(1))).isEqualTo("plain value");
  }

  @Test
  void readsBareLineFeedsAsGoDoes() throws Exception {
    byte[] body =
        bytes(
            "--b\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\n\none\n"
                + "--b\nContent-Disposition: form-data; name=\"b\"\n\ntwo\n--b--");

    List<Multipart.Part> parts = Multipart.parse(body, "b");

    assertThat(parts).extracting(p -> content(body, p)).containsExactly("one", "two");
  }

  @Test
  void skipsPartsThatAreNotNamedFormData() throws Exception {
    byte[] body =
        bytes(
            "--b\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n"
                + "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nnot form-data\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nempty name\r\n"
                + part("kept", "f", "yes")
                + "--b--\r\n");

    assertThat(Multipart.parse(body, "b")).extracting(Multipart.Part::name).containsExactly("kept");
  }

  @Test
  void aFormWithoutPartsIsEmpty() throws Exception {
    assertThat(Multipart.parse(bytes("--b--\r\n"), "b")).isEmpty();
    assertThat(Multipart.parse(bytes("preamble\r\n--b--"), "b")).isEmpty();
  }

  @Test
  void fileIsTheFirstNonEmptyFilePartOfThatName() throws Exception {
    byte[] body =
        bytes(
            part("profile", null, "a plain value")
                + part("profile", "first", "1")
                + part("profile", "second", "2")
                + part("labels", "empty", "")
                + "--b--");

    List<Multipart.Part> parts = Multipart.parse(body, "b");

    assertThat(content(body, Multipart.file(parts, "profile"))).isEqualTo("1");
    assertThat(Multipart.named(parts, "profile")).hasSize(3);
    assertThat(Multipart.file(parts, "labels")).as("an empty file counts as absent").isNull();
    assertThat(Multipart.file(parts, "missing")).isNull();
  }

  @Test
  void refusesABodyThatIsNotTheAnnouncedForm() {
    assertThatThrownBy(() -> Multipart.parse(new byte[0], "b"))
        .hasMessage("multipart: NextPart: EOF");
    assertThatThrownBy(() -> Multipart.parse(bytes("no delimiter at all\r\n"), "b"))
        .hasMessage("multipart: NextPart: EOF");
    assertThatThrownBy(() -> Multipart.parse(bytes("--other\r\n\r\nx\r\n--other--"), "b"))
        .hasMessage("multipart: NextPart: EOF");
    assertThatThrownBy(() -> Multipart.parse(bytes(part("a", "a", "never closed")), "b"))
        .hasMessage("unexpected EOF");
    assertThatThrownBy(() -> Multipart.parse(bytes("--b\r\nContent-Disposition: form-data"), "b"))
        .hasMessage("unexpected EOF");
    assertThatThrownBy(() -> Multipart.parse(bytes(part("a", "a", "x") + "--b junk\r\n"), "b"))
        .hasMessage("multipart: unexpected line after a boundary");
    assertThatThrownBy(() -> Multipart.parse(bytes("--b\r\nno colon\r\n\r\nx\r\n--b--"), "b"))
        .hasMessage("malformed MIME header line: no colon");
    assertThatThrownBy(() -> Multipart.parse(bytes("--b\r\n folded: x\r\n\r\nx\r\n--b--"), "b"))
        .hasMessage("malformed MIME header initial line:  folded: x");
    assertThatThrownBy(
            () ->
                Multipart.parse(
                    bytes("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--"),
                    "b"))
        .hasMessage("mime: invalid media parameter");
  }

  @Test
  void refusesMorePartsOrLargerHeadersThanGoAccepts() throws Exception {
    String onePart = part("p", "f", "x");
    assertThat(Multipart.parse(bytes(onePart.repeat(Multipart.MAX_PARTS) + "--b--"), "b"))
        .hasSize(Multipart.MAX_PARTS);
    assertThatThrownBy(
            () -> Multipart.parse(bytes(onePart.repeat(Multipart.MAX_PARTS + 1) + "--b--"), "b"))
        .hasMessage("multipart: message too large");

    String header = "X-Padding: " + "p".repeat(1000) + "\r\n";
    assertThatThrownBy(
            () -> Multipart.parse(bytes("--b\r\n" + header.repeat(17) + "\r\nx\r\n--b--"), "b"))
        .hasMessage("multipart: part headers too large");
    assertThat(
            Multipart.parse(
                bytes(
                    part("a", "a", "x").replace("\r\n\r\n", "\r\n" + header.repeat(15) + "\r\n")
                        + "--b--"),
                "b"))
        .hasSize(1);
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
