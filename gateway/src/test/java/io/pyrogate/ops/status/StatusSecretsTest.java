package io.pyrogate.ops.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No secret of the configuration reaches the status page or {@code /api/status}: not a basic_auth
 * password, a bearer token, authorization credentials, the user info of an endpoint URL or a value
 * of headers or http_headers, not even when the endpoint's error page repeats the request's headers
 * back.
 */
@KafkaTest
class StatusSecretsTest {
  private static TestKafka broker;

  @BeforeAll
  static void broker(TestKafka handle) {
    broker = handle;
  }

  @Test
  void credentialsOfEndpointsAppearNeitherOnThePageNorInTheApiEvenInEchoedErrors() {
    KafkaSettings kafka = TestGateways.sharedKafka();
    try (FakePyroscope echo = new FakePyroscope().echoRequests(503)) {
      String hostPort = echo.url().substring("http://".length());
      String config =
          """
          kafka {
            bootstrap_servers  = ["%s"]
            topic_prefix       = "%s"
            replication_factor = 1
            partitions         = 1
          }
          pyroscope.receive_http "default" {
            http {
              listen_address = "127.0.0.1"
              listen_port    = %d
            }
            forward_to = [pyroscope.write.w.receiver]
          }
          pyroscope.write "w" {
            endpoint {
              name = "basic"
              url  = "http://%s"
              basic_auth {
                username = "page-user"
                password = "basic-pw-hunter2"
              }
              min_backoff_period = "50ms"
              max_backoff_period = "200ms"
            }
            endpoint {
              name         = "bearer"
              url          = "http://%s"
              bearer_token = "bearer-hunter2"
              min_backoff_period = "50ms"
              max_backoff_period = "200ms"
            }
            endpoint {
              name = "userinfo"
              url  = "http://url-user:url-pw-hunter2@%s"
              min_backoff_period = "50ms"
              max_backoff_period = "200ms"
            }
            endpoint {
              name = "authorization"
              url  = "http://%s"
              authorization {
                type        = "Bearer"
                credentials = "authz-hunter2"
              }
              http_headers = { "X-Api-Key" = ["httphdr-hunter2"] }
              min_backoff_period = "50ms"
              max_backoff_period = "200ms"
            }
            endpoint {
              name    = "headers"
              url     = "http://%s"
              headers = { "Authorization" = "Bearer hdr-hunter2", "X-Api-Key" = "key-hunter2" }
              min_backoff_period = "50ms"
              max_backoff_period = "200ms"
            }
          }
          """
              .formatted(
                  broker.bootstrapServers(),
                  kafka.topicPrefix(),
                  0,
                  hostPort,
                  hostPort,
                  hostPort,
                  hostPort,
                  hostPort);
      Gateway gateway =
          Gateway.start(
              ConfigLoader.parse("secrets.alloy", config, name -> null).config(),
              TestGateways.options(TestGateways.tempDir()));
      try {
        int ingest = gateway.ingestPort("default");
        assertThat(
                TestGateways.push(
                        ingest,
                        Profiles.push("secrets", Profiles.jvmStacksPprof(1), Map.of())
                            .toByteArray())
                    .statusCode())
            .isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  JsonArray endpoints =
                      new JsonObject(
                              TestGateways.get(gateway.managementPort(), "/api/status").body())
                          .getJsonArray("writes")
                          .getJsonObject(0)
                          .getJsonArray("endpoints");
                  assertThat(endpoints).hasSize(5);
                  endpoints.forEach(
                      e ->
                          assertThat(((JsonObject) e).getString("lastError"))
                              .as("the endpoint's echo of the request is its last error")
                              .contains("you sent POST"));
                });
        String basic =
            Base64.getEncoder()
                .encodeToString("page-user:basic-pw-hunter2".getBytes(StandardCharsets.UTF_8));
        String urlBasic =
            Base64.getEncoder()
                .encodeToString("url-user:url-pw-hunter2".getBytes(StandardCharsets.UTF_8));
        for (String path : new String[] {"/", "/api/status"}) {
          String body = TestGateways.get(gateway.managementPort(), path).body();
          assertThat(body)
              .as(path)
              .contains("userinfo")
              .doesNotContain("hunter2")
              .doesNotContain("url-user")
              .doesNotContain(basic)
              .doesNotContain(urlBasic);
        }
      } finally {
        gateway.stop();
      }
    }
  }
}
