package io.pyrogate.ops;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.Version;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operational series of a running gateway, as {@code /metrics} serves them: build info, Vert.x
 * HTTP server and client metrics, Kafka client metrics tagged by component, the age of the oldest
 * undelivered profile against the topic's retention, and requests to unknown routes counted apart.
 */
@KafkaTest
class OperationalMetricsTest {
  private static final String WRITE = "pyroscope.write.staging";

  @Test
  void runningGatewayServesItsOperationalSeries() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway = start(sharedKafka(), 0, pyroscope)) {
      int port = gateway.ingestPort("default");
      assertThat(
              push(
                      port,
                      Profiles.push("checkout", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                  .statusCode())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      assertThat(TestGateways.get(port, "/").statusCode()).isEqualTo(404);

      String endpoint = "endpoint=\"" + pyroscope.url() + "\"";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String metrics = scrape(gateway);
                assertThat(metrics)
                    .containsPattern(
                        "pyrogate_build_info\\{commit=\""
                            + Version.commit()
                            + "\",version=\""
                            + Version.get()
                            + "\"} 1")
                    .contains(
                        "pyrogate_ingest_requests_total{component_id=\"pyroscope.receive_http.default\","
                            + "outcome=\"404\",route=\"unknown\"} 1.0")
                    .contains(
                        "pyrogate_ingest_requests_total{component_id=\"pyroscope.receive_http.default\","
                            + "outcome=\"200\",route=\"push\"} 1.0")
                    .doesNotContain("outcome=\"404\",route=\"ingest\"")
                    .containsPattern(
                        // local is the configured listen address: for listen_port 0, not the
                        // port bound but the key Vert.x shares it under.
                        "vertx_http_server_requests_total\\{code=\"200\",local=\"127.0.0.1:[^\"]+\","
                            + "method=\"POST\",route=\"/push.v1.PusherService/Push\"}")
                    .containsPattern(
                        "vertx_http_client_responses_total\\{code=\"200\",method=\"POST\","
                            + "remote=\"127.0.0.1:"
                            + pyroscope.port()
                            + "\"")
                    .containsPattern("kafka_producer_[a-z_]+\\{[^}]*component_id=\"pyrogate\"")
                    .containsPattern(
                        "kafka_consumer_[a-z_]+\\{[^}]*component_id=\""
                            + WRITE
                            + "\"[^}]*"
                            + endpoint)
                    .containsPattern(
                        "pyrogate_topic_retention_seconds\\{component_id=\""
                            + WRITE
                            + "\",topic=\"[^\"]+write.staging\"} 604800.0")
                    .contains(
                        "pyrogate_endpoint_oldest_undelivered_seconds{component_id=\""
                            + WRITE
                            + "\","
                            + endpoint
                            + "} 0.0");
                // A server's series never carry the client's address (one series per client).
                assertThat(metrics)
                    .doesNotContainPattern("vertx_http_server_[a-z_]+\\{[^}]*remote=");
              });
    }
  }

  @Test
  void oldestUndeliveredAgeGrowsWhileTheEndpointRefusesAndDropsOnceItRecovers() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway = start(sharedKafka(), 0, pyroscope)) {
      int port = gateway.ingestPort("default");
      String series =
          "pyrogate_endpoint_oldest_undelivered_seconds{component_id=\""
              + WRITE
              + "\",endpoint=\""
              + pyroscope.url()
              + "\"}";
      pyroscope.respondWith(503, "down for maintenance");
      assertThat(
              push(
                      port,
                      Profiles.push("checkout", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                  .statusCode())
          .isEqualTo(200);

      double first =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> value(scrape(gateway), series), age -> age > 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> value(scrape(gateway), series), age -> age >= first + 1);
      assertThat(pyroscope.delivered()).isEmpty();

      pyroscope.respondWith(200, "");
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(gateway), series) == 0);
    }
  }

  @Test
  void kafkaConsumerSeriesOfAnEndpointLeaveWithItOnReload() {
    KafkaSettings kafka = sharedKafka();
    try (FakePyroscope a = new FakePyroscope();
        FakePyroscope b = new FakePyroscope();
        Gateway gateway = start(kafka, 0, a)) {
      String aConsumer = "kafka_consumer_[a-z_]+\\{[^}]*endpoint=\"" + a.url() + "\"";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> scrape(gateway).matches("(?s).*" + aConsumer + ".*"));

      gateway.reload(
          config(
              kafka,
              0,
              List.of(new WriteComponent("staging", List.of(endpoint("b", b.url())), Map.of()))));

      String bConsumer = "kafka_consumer_[a-z_]+\\{[^}]*endpoint=\"" + b.url() + "\"";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> scrape(gateway).matches("(?s).*" + bConsumer + ".*"));
      assertThat(scrape(gateway)).doesNotContainPattern(aConsumer);
    }
  }

  private static Gateway start(KafkaSettings kafka, int port, FakePyroscope pyroscope) {
    return TestGateways.start(
        config(
            kafka,
            port,
            List.of(
                new WriteComponent("staging", List.of(endpoint("a", pyroscope.url())), Map.of()))));
  }

  private static String scrape(Gateway gateway) {
    return TestGateways.get(gateway.managementPort(), "/metrics").body();
  }

  /** The value of one series in a scrape; -1 when the scrape does not have it. */
  private static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }
}
