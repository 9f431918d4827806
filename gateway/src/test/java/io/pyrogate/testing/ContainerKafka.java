package io.pyrogate.testing;

import io.pyrogate.kafka.KafkaDefaults;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The test broker in a Kafka container (Testcontainers), chosen with {@code
 * -Dpyrogate.test.kafka=testcontainers}: the {@code apache/kafka} image of the kafka-clients
 * version pyrogate is built with ({@code -Dpyrogate.test.kafka.image=...} picks another). Without a
 * usable Docker, the tests that need the broker are skipped with the reason instead of running on
 * another broker. The default ({@code -Dpyrogate.test.kafka=embedded} or unset) is the broker in
 * the test JVM.
 */
final class ContainerKafka {
  static final String PROPERTY = "pyrogate.test.kafka";
  static final String IMAGE_PROPERTY = "pyrogate.test.kafka.image";
  private static Optional<String> unavailable;

  private ContainerKafka() {}

  /** Whether the tests are to run against a Kafka container; fails on a value it does not know. */
  static boolean requested() {
    String mode = System.getProperty(PROPERTY, "embedded");
    return switch (mode) {
      case "embedded" -> false;
      case "testcontainers" -> true;
      default ->
          throw new IllegalStateException(
              "-D" + PROPERTY + "=" + mode + ": expected embedded (the default) or testcontainers");
    };
  }

  /**
   * Why the Kafka container that was asked for cannot run here; empty when it can, or when it was
   * not asked for.
   */
  static synchronized Optional<String> unavailable() {
    if (!requested()) {
      return Optional.empty();
    }
    if (unavailable == null) {
      unavailable =
          DockerClientFactory.instance().isDockerAvailable()
              ? Optional.empty()
              : Optional.of(
                  "-D"
                      + PROPERTY
                      + "=testcontainers needs Docker, and Testcontainers found no usable Docker"
                      + " environment (is the daemon running and its socket reachable?); without"
                      + " -D"
                      + PROPERTY
                      + " the tests use the broker in the test JVM");
    }
    return unavailable;
  }

  /**
   * Starts the Kafka container, stopped when the JVM exits; its bootstrap servers. Aborts the
   * calling test (reported as skipped, with the reason) when Docker is not usable.
   */
  static String start() {
    unavailable().ifPresent(reason -> Assumptions.abort(reason));
    KafkaContainer kafka =
        new KafkaContainer(image())
            // As the embedded broker: topics exist only when pyrogate (or a test) creates them, and
            // a record may be as large as pyrogate accepts.
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(KafkaDefaults.MAX_RECORD_BYTES))
            .withEnv(
                "KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(KafkaDefaults.MAX_RECORD_BYTES));
    kafka.start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-container-stop"));
    return kafka.getBootstrapServers();
  }

  static String image() {
    return System.getProperty(IMAGE_PROPERTY, "apache/kafka:" + TestKafka.kafkaVersion());
  }
}
