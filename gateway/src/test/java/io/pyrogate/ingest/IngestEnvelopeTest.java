package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.pyrogate.golang.Url;
import io.pyrogate.testing.SdkPayloads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces of /ingest validation on their own: the name, the query, the format choice and
 * multipart shape.
 */
class IngestEnvelopeTest {

  @Test
  void namesParseAsPyroscopesLabelSet() {
    assertThat(IngestName.parse("app.cpu{env=prod, region = eu-west-1 }").labels())
        .containsExactly(
            entry("__name__", "app.cpu"), entry("env", "prod"), entry("region", "eu-west-1"));
    assertThat(IngestName.parse("  my-app/backend.wall  ").labels())
        .containsExactly(entry("__name__", "my-app/backend.wall"));
    assertThat(IngestName.parse("app{}").labels()).containsExactly(entry("__name__", "app"));
    // A key without '=' before the closing brace is dropped; __name__ may be overridden.
    assertThat(IngestName.parse("app{env=prod,flag}").labels())
        .containsExactly(entry("__name__", "app"), entry("env", "prod"));
    assertThat(IngestName.parse("app{__name__=other.cpu}").appName()).isEqualTo("other.cpu");
    // Values cannot escape ',' or '}'; they may hold anything else.
    assertThat(IngestName.parse("app{url=http://x/y?a=b c}").labels())
        .containsEntry("url", "http://x/y?a=b c");

    assertRejected("", "name: service name is required");
    assertRejected("{a=b}", "name: service name is required");
    assertRejected("my app", "name: invalid service name: my app: character is not allowed: ' '");
    assertRejected(
        "app\u0000", "name: invalid service name: app\u0000: character is not allowed: '\\x00'");
    assertRejected("app{k y=1}", "name: invalid label name: k y: character is not allowed: ' '");
    assertRejected("app{=1}", "name: label name is required");
    assertRejected(
        "app{flag,env=prod}", "name: invalid label name: flag,env: character is not allowed: ','");
    assertRejected(
        "app{a=1}x-y=2}", "name: invalid label name: x-y: character is not allowed: '-'");
  }

  @Test
  void serviceNameForTheRecordKey() {
    assertThat(IngestName.parse("shop.alloc_space{env=prod}").serviceName()).isEqualTo("shop");
    assertThat(IngestName.parse("shop.v2").serviceName()).isEqualTo("shop.v2");
    assertThat(IngestName.parse("shop.cpu{service_name=checkout}").serviceName())
        .isEqualTo("checkout");
  }

  @Test
  void textFormatsNeedAKnownProfileTypeSuffix() {
    IngestName.parse("app").checkTextFormatType();
    IngestName.parse("my.app.itimer").checkTextFormatType();
    IngestName.parse("my.app{profile_id=abc}").checkTextFormatType();
    assertThatThrownBy(() -> IngestName.parse("my.app").checkTextFormatType())
        .hasMessage(
            "pyroscopeIngesterAdapter failed to convert metadata: unknown profile type: app");
    assertThatThrownBy(() -> IngestName.parse("app.").checkTextFormatType())
        .hasMessage("pyroscopeIngesterAdapter failed to convert metadata: unknown profile type: ");
  }

  @Test
  void queryValuesAreReadAsGoReadsThem() {
    String q =
        "name=app.cpu%7Benv%3Dprod%7D&format=jfr&format=pprof&spyName=java+spy&bad=%zz&x;y=1&from=";
    assertThat(Url.queryGet(q, "name")).isEqualTo("app.cpu{env=prod}");
    assertThat(Url.queryGet(q, "format")).isEqualTo("jfr");
    assertThat(Url.queryGet(q, "spyName")).isEqualTo("java spy");
    assertThat(Url.queryGet(q, "bad")).isEmpty();
    assertThat(Url.queryGet(q, "x")).isEmpty();
    assertThat(Url.queryGet(q, "from")).isEmpty();
    assertThat(Url.queryGet(null, "name")).isEmpty();
    assertThat(Url.queryGet("name=%C3%A9t%C3%A9", "name")).isEqualTo("été");
  }

  @Test
  void formatIsChosenInPyroscopesOrder() {
    String form = "multipart/form-data; boundary=x";
    assertThat(IngestDecoder.format("format=trie", form)).isEqualTo(IngestDecoder.Format.TRIE);
    assertThat(IngestDecoder.format("format=lines", "binary/octet-stream+tree"))
        .isEqualTo(IngestDecoder.Format.TREE);
    assertThat(IngestDecoder.format("format=lines", form)).isEqualTo(IngestDecoder.Format.LINES);
    assertThat(IngestDecoder.format("format=jfr", form)).isEqualTo(IngestDecoder.Format.JFR);
    assertThat(IngestDecoder.format("format=pprof", form)).isEqualTo(IngestDecoder.Format.PPROF);
    assertThat(IngestDecoder.format("format=speedscope", null))
        .isEqualTo(IngestDecoder.Format.SPEEDSCOPE);
    assertThat(IngestDecoder.format("name=a", form))
        .isEqualTo(IngestDecoder.Format.PPROF_MULTIPART);
    assertThat(IngestDecoder.format("format=folded", form))
        .isEqualTo(IngestDecoder.Format.PPROF_MULTIPART);
    assertThat(IngestDecoder.format("format=collapsed", "text/plain"))
        .isEqualTo(IngestDecoder.Format.FOLDED);
    assertThat(IngestDecoder.format("", null)).isEqualTo(IngestDecoder.Format.FOLDED);
  }

  @Test
  void multipartPartsAreFoundInPlace() throws Exception {
    byte[] profile = {0x1f, (byte) 0x8b, '\r', '\n', '-', '-', 'x', 0};
    SdkPayloads.Body body =
        SdkPayloads.form(
            "B",
            List.of(
                new SdkPayloads.Part(
                    "profile", "profile.pprof", "application/octet-stream", profile),
                new SdkPayloads.Part(
                    "sample_type_config", null, null, "{}".getBytes(StandardCharsets.UTF_8))));
    List<Multipart.Part> parts =
        Multipart.parse(body.bytes(), Multipart.boundary(body.contentType()));
    assertThat(parts)
        .extracting(Multipart.Part::name)
        .containsExactly("profile", "sample_type_config");
    Multipart.Part p = Multipart.file(parts, "profile");
    assertThat(java.util.Arrays.copyOfRange(body.bytes(), p.start(), p.end())).isEqualTo(profile);
    assertThat(Multipart.file(parts, "sample_type_config")).as("not a file part").isNull();

    // Preamble, bare LF line ends, whitespace after the delimiter, an epilogue and a quoted
    // boundary.
    String lf =
        "preamble\n--a b\nContent-Disposition: form-data; name=\"jfr\"; filename=\"jfr\"\n\nJFR!\n--a b  \n"
            + "Content-Disposition: form-data; name=labels; filename=labels\n\nLB\n--a b--\nepilogue";
    List<Multipart.Part> lfParts =
        Multipart.parse(
            lf.getBytes(StandardCharsets.UTF_8),
            Multipart.boundary("multipart/form-data; boundary=\"a b\""));
    assertThat(lfParts)
        .extracting(Multipart.Part::name, Multipart.Part::fileName, Multipart.Part::length)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("jfr", "jfr", 4),
            org.assertj.core.groups.Tuple.tuple("labels", "labels", 2));

    assertThat(Multipart.parse("--B--\r\n".getBytes(StandardCharsets.UTF_8), "B")).isEmpty();
    assertThatThrownBy(
            () -> Multipart.parse("no delimiter here".getBytes(StandardCharsets.UTF_8), "B"))
        .hasMessage("multipart: NextPart: EOF");
    assertThatThrownBy(
            () ->
                Multipart.parse(
                    "--B\r\nContent-Disposition: form-data; name=a\r\n\r\ndata"
                        .getBytes(StandardCharsets.UTF_8),
                    "B"))
        .hasMessage("unexpected EOF");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data"))
        .hasMessage("malformed multipart content type header");
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data; boundary="))
        .hasMessage("mime: invalid media parameter");
  }

  private static void assertRejected(String name, String message) {
    assertThatThrownBy(() -> IngestName.parse(name))
        .isInstanceOfSatisfying(
            Rejection.class,
            r -> {
              assertThat(r.status).isEqualTo(400);
              assertThat(r.code).isEqualTo("invalid_argument");
              assertThat(r.getMessage()).isEqualTo(message);
            });
  }
}
