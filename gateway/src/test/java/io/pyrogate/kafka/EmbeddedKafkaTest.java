package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@KafkaTest
class EmbeddedKafkaTest {

  @Test
  void keepsAcknowledgedRecordsAcrossARestartOnAnotherPort() throws Exception {
    Path dir = TestGateways.tempDir();
    String topic = "persist";
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
      try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
        new Topics(admin, settings()).ensureTopics(List.of(topic));
      }
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers())))) {
        for (int i = 0; i < 50; i++) {
          producer
              .send(new ProducerRecord<>(topic, "k" + i, new byte[50 * 1024]))
              .get(30, TimeUnit.SECONDS);
        }
      }
    }
    assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();

    try (EmbeddedKafka again = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
      assertThat(readAll(again.bootstrapServers(), topic))
          .hasSize(50)
          .allSatisfy(r -> assertThat(r.value()).hasSize(50 * 1024));
    }
  }

  @Test
  void aSecondBrokerOnTheSameDataDirectoryIsRefusedWithAClearMessage() {
    Path dir = TestGateways.tempDir();
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
      assertThatThrownBy(() -> EmbeddedKafka.start(dir, "127.0.0.1", 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("embedded Kafka could not start")
          .hasMessageContaining(dir.toString());
    }
  }

  private static KafkaSettings settings() {
    return new KafkaSettings(List.of("unused"), "127.0.0.1:0", "x.", 1, (short) 1);
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    Map<String, String> config = KafkaDefaults.consumer(bootstrap, "reader");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(new HashMap<String, Object>(config))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < 50 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
