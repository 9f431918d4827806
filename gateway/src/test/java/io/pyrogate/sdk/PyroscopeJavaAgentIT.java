package io.pyrogate.sdk;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.Gateway;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.Topics;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The real pyroscope-java agent (io.pyroscope:agent), attached to a child JVM and pointed at
 * pyrogate as at a Pyroscope server: its uploads are stored in Kafka and delivered to the
 * endpoint's /ingest as sent.
 */
@KafkaTest
class PyroscopeJavaAgentIT {

  @Test
  void uploadsOfTheJavaAgentArriveInKafkaAndAtTheEndpoint() throws Exception {
    KafkaSettings kafka = TestGateways.sharedKafka();
    Path agent =
        Path.of(
            io.pyroscope.javaagent.PyroscopeAgent.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    kafka,
                    0,
                    List.of(
                        new WriteComponent(
                            "w", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-javaagent:" + agent,
                  "-cp",
                  System.getProperty("java.class.path"),
                  BusyApp.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(TestGateways.tempDir().resolve("agent.log").toFile());
      Map<String, String> env = builder.environment();
      env.put("PYROSCOPE_APPLICATION_NAME", "busy-app");
      env.put("PYROSCOPE_SERVER_ADDRESS", "http://127.0.0.1:" + port);
      env.put("PYROSCOPE_TENANT_ID", "team-java");
      env.put("PYROSCOPE_LABELS", "env=test");
      env.put("PYROSCOPE_UPLOAD_INTERVAL", "1s");
      env.put("PYROSCOPE_PROFILER_EVENT", "itimer");
      env.put("PYROSCOPE_FORMAT", "jfr");
      Process app = builder.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> !pyroscope.delivered().isEmpty());
      } finally {
        app.destroyForcibly();
      }

      FakePyroscope.Request upload = pyroscope.delivered().get(0);
      assertThat(upload.path()).isEqualTo("/ingest");
      String query = URLDecoder.decode(upload.query(), StandardCharsets.UTF_8);
      assertThat(query)
          .contains("name=busy-app")
          .contains("env=test")
          .contains("format=jfr")
          .contains("spyName=javaspy");
      assertThat(upload.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
      assertThat(upload.headers()).containsEntry("x-scope-orgid", "team-java");
      assertThat(new String(upload.body(), StandardCharsets.ISO_8859_1)).contains("name=\"jfr\"");

      List<ConsumerRecord<String, byte[]>> stored =
          TestKafka.handle().readAll(Topics.writeTopic(kafka, "w"));
      assertThat(stored).isNotEmpty();
      assertThat(stored).anySatisfy(r -> assertThat(r.value()).isEqualTo(upload.body()));
    }
  }
}
