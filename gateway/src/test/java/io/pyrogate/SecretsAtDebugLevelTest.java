package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.FakeTokenServer;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.pyrogate.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * pyrogate run as its own process, at DEBUG for itself, Kafka, Vert.x and Netty, with every kind of
 * secret configured: endpoints with a bearer token, basic credentials, authorization credentials,
 * oauth2 (client secret and endpoint_params), token-only URL user info and secret headers, all
 * answering 503 with the request's headers and body echoed; Kafka producer properties Kafka treats
 * as passwords; a receive_kafka source with a SASL password and a TLS client key (its broker speaks
 * plaintext, so every connection fails and is logged). No secret may appear in the log, /metrics,
 * /-/ready, a reload's answer, or any header of the dead-letter records.
 */
@KafkaTest
class SecretsAtDebugLevelTest {
  private static final String SECRET = "hunter2";
  private static final TestPki CA = TestPki.ca("kafka CA");
  private static final TestPki.Issued CLIENT = CA.client("pyrogate");

  @Test
  void noSecretInLogsMetricsPagesOrDeadLetters() throws Exception {
    String prefix = "sec" + System.nanoTime() % 1_000_000 + ".";
    Path dir = TestGateways.tempDir();
    // Ports known in advance: pyrogate runs as another process, which is told them.
    int ingest = TestGateways.freePort();
    int management = TestGateways.freePort();
    // 400 (final) and not 503: an endpoint answering 503 to everything is in outage, and nothing is
    // dead-lettered.
    try (FakePyroscope pyroscope = new FakePyroscope().echoRequests(400);
        FakeTokenServer tokens = new FakeTokenServer().tokenPrefix(SECRET + "-token-")) {
      Path config = dir.resolve("pyrogate.alloy");
      Files.writeString(config, config(prefix, ingest, pyroscope, tokens, "2"));
      Path log = dir.resolve("pyrogate.log");
      Process pyrogate = start(config, dir.resolve("data"), management, log);
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> ready(management) || !pyrogate.isAlive());
        assertThat(pyrogate.isAlive())
            .as("pyrogate runs; its log: %s", Files.readString(log))
            .isTrue();

        assertThat(
                TestGateways.push(
                        ingest,
                        Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray())
                    .statusCode())
            .isEqualTo(200);
        // One attempt at each of the five endpoints, refused for good: each dead-letters the
        // profile.
        await().atMost(Duration.ofSeconds(90)).until(() -> pyroscope.received().size() >= 5);
        List<ConsumerRecord<String, byte[]>> dead =
            TestKafka.handle().read(prefix + "write.w.dlq", 5);
        assertThat(dead).hasSize(5);
        assertThat(pyroscope.received())
            .extracting(r -> r.headers().toString())
            .anyMatch(h -> h.contains(SECRET + "-bearer"))
            .anyMatch(h -> h.contains(SECRET + "-token-"));

        List<String> shown = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : dead) {
          for (Header h : r.headers()) {
            shown.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
          }
        }
        assertThat(shown).anyMatch(h -> h.contains("you sent POST"));
        String metrics = TestGateways.get(management, "/metrics").body();
        assertThat(metrics).contains("pyroscope_write_dropped_profiles_total").contains("***@");
        shown.add(metrics);
        shown.add(TestGateways.get(management, "/-/ready").body());
        Files.writeString(config, config(prefix, ingest, pyroscope, tokens, "3"));
        String reload =
            TestGateways.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + management + "/-/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build())
                .body();
        assertThat(reload).contains("changed");
        shown.add(reload);
        assertThat(shown).allSatisfy(SecretsAtDebugLevelTest::assertNoSecret);
      } finally {
        pyrogate.destroy();
        assertThat(pyrogate.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      String logs = Files.readString(log);
      assertThat(logs)
          .contains(" level=debug ")
          .contains("moved to the dead-letter topic")
          .contains("effective configuration")
          .contains("configuration reloaded");
      assertNoSecret(logs);
    }
  }

  private static void assertNoSecret(String text) {
    String keyBody = CLIENT.keyPem().lines().skip(2).findFirst().orElseThrow();
    assertThat(text)
        .doesNotContain(SECRET)
        .doesNotContain(base64("u:" + SECRET + "-basic"))
        .doesNotContain(base64(SECRET + "-userinfo"))
        .doesNotContain(keyBody);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Process start(Path config, Path storage, int management, Path log)
      throws IOException {
    ProcessBuilder b =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                // Everything at debug, Kafka and Netty included, with stack traces.
                "-Dlogback.configurationFile=" + debugEverything(storage.getParent()),
                Main.class.getName(),
                "run",
                config.toString(),
                "--storage.path",
                storage.toString(),
                "--server.http.listen-addr",
                "127.0.0.1:" + management)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    b.environment().put("KAFKA_CA", CA.certPem());
    b.environment().put("KAFKA_CERT", CLIENT.certPem());
    b.environment().put("KAFKA_KEY", CLIENT.keyPem());
    return b.start();
  }

  /** A logback configuration of the user's: every logger at debug, in pyrogate's logfmt lines. */
  private static Path debugEverything(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("logback.xml"),
        """
        <configuration>
          <appender name="stderr" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder class="io.pyrogate.logging.LineEncoder">
              <stackTraces>true</stackTraces>
            </encoder>
          </appender>
          <root level="DEBUG">
            <appender-ref ref="stderr"/>
          </root>
        </configuration>
        """);
  }

  private static boolean ready(int management) {
    try {
      return TestGateways.get(management, "/-/ready").statusCode() == 200;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /**
   * @param retries max_backoff_retries of every endpoint: changing it makes a reload change the
   *     endpoints
   */
  private static String config(
      String prefix, int ingest, FakePyroscope pyroscope, FakeTokenServer tokens, String retries) {
    String url = pyroscope.url();
    String backoff =
        "    min_backoff_period = \"20ms\"\n    max_backoff_period = \"100ms\"\n    max_backoff_retries = "
            + retries
            + "\n";
    return """
        kafka {
          bootstrap_servers = ["%1$s"]
          topic_prefix = "%2$s"
          producer = { "ssl.key.password" = "%3$s-producer-key", "sasl.jaas.config" = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"%3$s-jaas\\";" }
        }
        pyroscope.receive_http "in" {
          http {
            listen_address = "127.0.0.1"
            listen_port = %4$d
          }
          forward_to = [pyroscope.write.w.receiver]
        }
        pyroscope.receive_kafka "k" {
          brokers = ["%1$s"]
          topics = ["%2$suser-topic"]
          authentication {
            type = "sasl"
            sasl_config {
              mechanism = "PLAIN"
              user = "svc"
              password = "%3$s-kafka-sasl"
              use_tls = true
              tls_config {
                ca_pem = sys.env("KAFKA_CA")
                cert_pem = sys.env("KAFKA_CERT")
                key_pem = sys.env("KAFKA_KEY")
              }
            }
          }
          forward_to = [pyroscope.write.w.receiver]
        }
        pyroscope.write "w" {
          endpoint {
            name = "bearer"
            url = "%5$s"
            bearer_token = "%3$s-bearer"
        %6$s  }
          endpoint {
            name = "basic"
            url = "%5$s"
            basic_auth {
              username = "u"
              password = "%3$s-basic"
            }
        %6$s  }
          endpoint {
            name = "authorization"
            url = "%5$s"
            authorization {
              type = "Token"
              credentials = "%3$s-credentials"
            }
        %6$s  }
          endpoint {
            name = "oauth2"
            url = "%5$s"
            oauth2 {
              client_id = "id"
              client_secret = "%3$s-client-secret"
              token_url = "%7$s"
              endpoint_params = { "api_key" = "%3$s-param" }
            }
        %6$s  }
          endpoint {
            name = "headers"
            url = "%8$s"
            http_headers = { "X-Api-Key" = ["%3$s-http-header"] }
            headers = { "X-Auth-Token" = "%3$s-header" }
        %6$s  }
        }
        """
        .formatted(
            TestKafka.handle().bootstrapServers(),
            prefix,
            SECRET,
            ingest,
            url,
            backoff,
            tokens.url(),
            url.replace("://", "://" + SECRET + "-userinfo@"));
  }
}
