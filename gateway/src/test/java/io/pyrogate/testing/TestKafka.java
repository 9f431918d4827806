package io.pyrogate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pyrogate.kafka.EmbeddedKafka;

/**
 * One real Kafka broker for the whole test JVM, started on first use with the same class pyrogate embeds.
 * Tests isolate themselves with unique topic prefixes, not separate brokers.
 */
public final class TestKafka {
  private static EmbeddedKafka broker;

  private TestKafka() {
  }

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("pyrogate-test-kafka");
        broker = EmbeddedKafka.start(dir, "127.0.0.1", 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-shutdown"));
    }
    return broker.bootstrapServers();
  }
}
