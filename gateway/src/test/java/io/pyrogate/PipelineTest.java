package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A real profile travels HTTP push → Kafka → endpoint verticle → a Pyroscope receiver. */
@KafkaTest
class PipelineTest {

  @Test
  void pushedProfileReachesTheEndpointByteIdenticalWithItsLabels() throws Exception {
    byte[] pprof = Profiles.jvmStacksPprof(3);
    PushRequest sent =
        Profiles.push("checkout", pprof, Map.of("env", "prod", "region", "eu-west-1"));
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "staging", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");

      HttpResponse<String> response = push(port, sent.toByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/proto");
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      FakePyroscope.Request got = pyroscope.delivered().get(0);
      assertThat(got.method()).isEqualTo("POST");
      assertThat(got.path()).isEqualTo("/push.v1.PusherService/Push");
      assertThat(got.headers())
          .containsEntry("content-type", "application/proto")
          .containsEntry("connect-protocol-version", "1");
      assertThat(got.headers().get("user-agent")).startsWith("pyrogate/");
      PushRequest delivered = PushRequest.parseFrom(got.body());
      assertThat(delivered.getSeries(0).getSamples(0).getRawProfile().toByteArray())
          .isEqualTo(pprof);
      assertThat(delivered.getSeries(0).getLabelsList())
          .isEqualTo(sent.getSeries(0).getLabelsList());
      assertThat(got.body()).isEqualTo(sent.toByteArray());
      String metrics = TestGateways.get(gateway.managementPort(), "/metrics").body();
      assertThat(metrics)
          .contains(
              "pyrogate_ingest_requests_total{component_id=\"pyroscope.receive_http.default\","
                  + "outcome=\"200\",route=\"push\"} 1.0");
      assertThat(metrics)
          .contains(
              "pyrogate_ingest_store_latency_count{component_id=\"pyroscope.receive_http.default\","
                  + "route=\"push\"} 1");
    }
  }

  @Test
  void externalLabelsOfTheWriteAreAppliedToEverySeriesOnTheWayOut() throws Exception {
    byte[] pprof = Profiles.jvmStacksPprof(1);
    PushRequest sent =
        Profiles.push(
            "checkout", pprof, Map.of("env", "dev", "instance", "pod-7", "__session_id__", "42"));
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "staging",
                            List.of(endpoint("a", pyroscope.url())),
                            Map.of("env", "staging", "instance", "", "cluster", "eu-1")))))) {
      int port = gateway.ingestPort("default");

      assertThat(push(port, sent.toByteArray()).statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      PushRequest delivered = PushRequest.parseFrom(pyroscope.delivered().get(0).body());
      assertThat(delivered.getSeries(0).getLabelsList())
          .extracting(l -> l.getName() + "=" + l.getValue())
          .containsExactlyInAnyOrder(
              "__name__=process_cpu", "service_name=checkout", "env=staging", "cluster=eu-1");
      assertThat(delivered.getSeries(0).getSamples(0).getRawProfile().toByteArray())
          .isEqualTo(pprof);
    }
  }

  @Test
  void externalLabelsOfTheWriteAreMergedIntoTheNameOfAnIngestProfile() {
    byte[] pprof = Profiles.jvmStacksPprof(1);
    String rest =
        "&from=1700000000&until=1700000010&format=pprof&spyName=pyspy&sampleRate=100&units=samples"
            + "&aggregationType=sum";
    String query =
        "name="
            + java.net.URLEncoder.encode(
                "checkout.cpu{env=dev,instance=pod-7,zone=a}",
                java.nio.charset.StandardCharsets.UTF_8)
            + rest;
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "staging",
                            List.of(endpoint("a", pyroscope.url())),
                            Map.of("env", "staging", "instance", "", "cluster", "eu-1")))))) {
      int port = gateway.ingestPort("default");

      assertThat(
              TestGateways.post(
                      port,
                      "/ingest?" + query,
                      pprof,
                      Map.of("Content-Type", "binary/octet-stream"))
                  .statusCode())
          .isEqualTo(200);

      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      FakePyroscope.Request got = pyroscope.delivered().get(0);
      assertThat(got.path()).isEqualTo("/ingest");
      assertThat(got.query())
          .isEqualTo("name=checkout.cpu%7Bcluster%3Deu-1%2Cenv%3Dstaging%2Czone%3Da%7D" + rest);
      assertThat(got.body()).isEqualTo(pprof);
    }
  }

  @Test
  void gzipEncodedPushIsStoredDecodedAndDeliveredIdentical() throws Exception {
    PushRequest sent = Profiles.push("cart", Profiles.jvmStacksPprof(1), Map.of());
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "w", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");

      HttpResponse<String> response =
          TestGateways.post(
              port,
              "/push.v1.PusherService/Push",
              gzip(sent.toByteArray()),
              Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip"));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(pyroscope.delivered().get(0).body()).isEqualTo(sent.toByteArray());
    }
  }

  @Test
  void jsonPushIsStoredAsProtobufAndAnsweredInJson() throws Exception {
    PushRequest sent = Profiles.push("cart", Profiles.jvmStacksPprof(1), Map.of("env", "dev"));
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "w", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");

      HttpResponse<String> response =
          TestGateways.post(
              port,
              "/push.v1.PusherService/Push",
              com.google.protobuf.util.JsonFormat.printer()
                  .print(sent)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Map.of("Content-Type", "application/json"));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{}");
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(PushRequest.parseFrom(pyroscope.delivered().get(0).body())).isEqualTo(sent);
      assertThat(pyroscope.delivered().get(0).headers())
          .containsEntry("content-type", "application/proto");
    }
  }

  @Test
  void tenantOfTheRequestIsDeliveredWithItAndEndpointHeadersAreApplied() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      var ep = endpoint("a", pyroscope.url()).withHeaders(Map.of("X-Extra", "yes"));
      try (Gateway gateway =
          TestGateways.start(
              config(sharedKafka(), 0, List.of(new WriteComponent("w", List.of(ep), Map.of()))))) {
        int port = gateway.ingestPort("default");

        HttpResponse<String> response =
            TestGateways.post(
                port,
                "/push.v1.PusherService/Push",
                Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray(),
                Map.of("Content-Type", "application/proto", "X-Scope-OrgID", "squad-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.delivered().get(0).headers())
            .containsEntry("x-scope-orgid", "squad-1")
            .containsEntry("x-extra", "yes");
      }
    }
  }

  @Test
  void aHungEndpointDoesNotHoldUpTheOthers() {
    int profiles = 20;
    try (FakePyroscope healthy = new FakePyroscope();
        FakePyroscope alsoHealthy = new FakePyroscope();
        FakePyroscope hung = new FakePyroscope().blackhole(true)) {
      KafkaSettings kafka = sharedKafka();
      GatewayConfig config =
          config(
              kafka,
              0,
              List.of(
                  new WriteComponent(
                      "w",
                      List.of(
                          endpoint("healthy", healthy.url()),
                          endpoint("hung", hung.url()),
                          endpoint("also-healthy", alsoHealthy.url())),
                      Map.of())));
      try (Gateway gateway = TestGateways.start(config)) {
        int port = gateway.ingestPort("default");
        List<String> sentIds = new ArrayList<>();
        for (int i = 0; i < profiles; i++) {
          PushRequest request = Profiles.push("svc-" + i, Profiles.jvmStacksPprof(1), Map.of());
          sentIds.addAll(Profiles.sampleIds(request));
          assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);
        }

        // The hung endpoint's attempts time out only after remote_timeout (10 s); the healthy ones
        // must not
        // wait for them.
        await()
            .atMost(Duration.ofSeconds(8))
            .untilAsserted(
                () -> {
                  assertThat(healthy.deliveredSampleIds())
                      .containsExactlyInAnyOrderElementsOf(sentIds);
                  assertThat(alsoHealthy.deliveredSampleIds())
                      .containsExactlyInAnyOrderElementsOf(sentIds);
                });
        assertThat(hung.received()).isNotEmpty().allSatisfy(r -> assertThat(r.answered()).isZero());
      }
    }
  }

  @Test
  void twoEndpointsEachReceiveEveryProfile() {
    try (FakePyroscope a = new FakePyroscope();
        FakePyroscope b = new FakePyroscope()) {
      try (Gateway gateway =
          TestGateways.start(
              config(
                  sharedKafka(),
                  0,
                  List.of(
                      new WriteComponent(
                          "w",
                          List.of(endpoint("a", a.url()), endpoint("b", b.url())),
                          Map.of()))))) {
        int port = gateway.ingestPort("default");
        List<String> sentIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          PushRequest request = Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());
          sentIds.addAll(Profiles.sampleIds(request));
          assertThat(push(port, request.toByteArray()).statusCode()).isEqualTo(200);
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(a.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sentIds);
                  assertThat(b.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sentIds);
                });
      }
    }
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
