package io.pyrogate.testing;

import io.pyrogate.Gateway;
import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A gateway a test runs, on the test broker with topics of its own and storage in a temporary
 * directory; listeners on port 0, so it reports the ports it really bound. Started from a
 * configuration text (written to a file in that directory, which {@link #reload()} reads again) or
 * from a {@link GatewayConfig}; stopped by {@link #close()}, which {@link GatewayExtension} calls
 * after the test.
 */
public final class GatewayUnderTest implements AutoCloseable {
  /** The receive_http component of {@link #startPipeline} and {@link TestGateways#config}. */
  public static final String RECEIVER = "default";

  private static final int PARTITIONS = 2;

  private final TestKafka kafka;
  private final Path dir;
  private final Path file;
  private Gateway gateway;

  GatewayUnderTest(TestKafka kafka, Path dir) {
    this.kafka = kafka;
    this.dir = dir;
    this.file = dir.resolve("pyrogate.alloy");
  }

  /** The Kafka settings the gateway runs with: the test broker, topics of its own. */
  public KafkaSettings kafka() {
    return kafka.settings();
  }

  /** The handle on the test broker with the gateway's topic prefix. */
  public TestKafka broker() {
    return kafka;
  }

  /** The topic of write component {@code label}. */
  public String writeTopic(String label) {
    return kafka.writeTopic(label);
  }

  /**
   * Starts the common pipeline: receive_http {@value #RECEIVER} on port 0 forwarding to write
   * component "w" with one endpoint "a" at {@code endpointUrl} (short backoffs).
   */
  public Gateway startPipeline(String endpointUrl) {
    return start(
        TestGateways.config(
            kafka(),
            0,
            List.of(
                new WriteComponent(
                    "w", List.of(TestGateways.endpoint("a", endpointUrl)), Map.of()))));
  }

  /** Starts the gateway with {@code config}, its storage in this fixture's directory. */
  public Gateway start(GatewayConfig config) {
    requireNotStarted();
    gateway = Gateway.start(config, TestGateways.options(dir.resolve("storage")));
    return gateway;
  }

  /**
   * Starts the gateway from a configuration file holding a kafka block for the test broker and
   * {@code components}; {@link #reload()} reads the file again.
   */
  public Gateway start(String components) {
    requireNotStarted();
    rewrite(components);
    gateway = Gateway.start(load(), TestGateways.options(dir.resolve("storage")), this::load);
    return gateway;
  }

  /** Rewrites the configuration file with the same kafka block and {@code components}. */
  public void rewrite(String components) {
    try {
      Files.writeString(file, kafkaBlock(PARTITIONS) + components);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The kafka block of the configuration file: the test broker, this fixture's topic prefix, and
   * {@code partitions} partitions per topic (2 in the file {@link #start(String)} writes).
   */
  public String kafkaBlock(int partitions) {
    return """
        kafka {
          bootstrap_servers  = ["%s"]
          topic_prefix       = "%s"
          replication_factor = 1
          partitions         = %d
        }
        """
        .formatted(kafka.bootstrapServers(), kafka.topicPrefix(), partitions);
  }

  /** {@code POST /-/reload} on the management port. */
  public HttpResponse<String> reload() {
    return TestGateways.post(managementPort(), "/-/reload", new byte[0], Map.of());
  }

  /** The configuration file {@link #start(String)} wrote. */
  public Path file() {
    return file;
  }

  public Gateway gateway() {
    if (gateway == null) {
      throw new IllegalStateException("the gateway was not started");
    }
    return gateway;
  }

  /** The port receive_http {@value #RECEIVER} bound. */
  public int ingestPort() {
    return ingestPort(RECEIVER);
  }

  /** The port receive_http {@code label} bound. */
  public int ingestPort(String label) {
    return gateway().ingestPort(label);
  }

  public int managementPort() {
    return gateway().managementPort();
  }

  /** Stops the gateway, if it runs, and closes the broker handle. */
  @Override
  public void close() {
    if (gateway != null) {
      gateway.stop();
    }
    kafka.close();
  }

  private GatewayConfig load() {
    return ConfigLoader.load(file, System::getenv).config();
  }

  private void requireNotStarted() {
    if (gateway != null) {
      throw new IllegalStateException("the gateway was started already");
    }
  }
}
