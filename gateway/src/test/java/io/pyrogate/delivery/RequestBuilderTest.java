package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.record.ProfileRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request of each kind of profile, as built (nothing is sent). */
class RequestBuilderTest {
  private static Vertx vertx;
  private static WebClient web;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    web.close();
    vertx.close().await();
  }

  @Test
  void aPushGoesToPushV1OverConnect() {
    HttpRequest<Buffer> req =
        new RequestBuilder(URI.create("https://pyro.example:4443/base/"), Duration.ofSeconds(7))
            .build(web, ProfileRecord.push("t1", new byte[] {1}, 1));
    assertThat(req.method()).isEqualTo(HttpMethod.POST);
    assertThat(req.host()).isEqualTo("pyro.example");
    assertThat(req.port()).isEqualTo(4443);
    assertThat(req.ssl()).isTrue();
    assertThat(req.uri()).isEqualTo("/base/push.v1.PusherService/Push");
    assertThat(req.headers().get("Connect-Protocol-Version")).isEqualTo("1");
    assertThat(req.headers().get("Content-Type")).isEqualTo("application/proto");
    assertThat(req.headers().contains("Content-Encoding")).isFalse();
    assertThat(req.timeout()).isEqualTo(7000);
  }

  @Test
  void anEncodedPushKeepsItsEncoding() {
    HttpRequest<Buffer> req =
        new RequestBuilder(URI.create("http://127.0.0.1:4040"), Duration.ofSeconds(10))
            .build(
                web,
                new ProfileRecord(
                    ProfileRecord.Kind.PUSH,
                    null,
                    "application/proto",
                    "gzip",
                    null,
                    1,
                    new byte[1]));
    assertThat(req.uri()).isEqualTo("/push.v1.PusherService/Push");
    assertThat(req.headers().get("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void anIngestBodyGoesToIngestWithItsQueryAndContentTypeAndNoConnectHeader() {
    RequestBuilder builder =
        new RequestBuilder(URI.create("http://127.0.0.1:4040/"), Duration.ofSeconds(10));
    HttpRequest<Buffer> req =
        builder.build(
            web,
            new ProfileRecord(
                ProfileRecord.Kind.INGEST,
                null,
                "multipart/form-data; boundary=x",
                null,
                "name=app%7Benv%3Dprod%7D&format=jfr",
                1,
                new byte[1]));
    assertThat(req.uri()).isEqualTo("/ingest?name=app%7Benv%3Dprod%7D&format=jfr");
    assertThat(req.headers().get("Content-Type")).isEqualTo("multipart/form-data; boundary=x");
    assertThat(req.headers().contains("Connect-Protocol-Version")).isFalse();
    HttpRequest<Buffer> noQuery =
        builder.build(
            web,
            new ProfileRecord(
                ProfileRecord.Kind.INGEST,
                null,
                "binary/octet-stream",
                null,
                null,
                1,
                new byte[1]));
    assertThat(noQuery.uri()).isEqualTo("/ingest");
  }

  @Test
  void theUrlsUserInfoIsNotPartOfTheRequest() {
    HttpRequest<Buffer> req =
        new RequestBuilder(URI.create("http://user:secret@127.0.0.1:4040"), Duration.ofSeconds(10))
            .build(web, ProfileRecord.push(null, new byte[1], 1));
    assertThat(req.host()).isEqualTo("127.0.0.1");
    assertThat(req.uri()).isEqualTo("/push.v1.PusherService/Push");
    assertThat(req.headers().names()).doesNotContain("Authorization");
  }
}
