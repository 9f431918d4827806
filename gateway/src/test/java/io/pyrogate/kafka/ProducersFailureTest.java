package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;

/**
 * A send that a user's producer plug-in makes throw fails its future instead of leaving it pending
 * forever.
 */
@KafkaTest
class ProducersFailureTest {

  /** A user partitioner with a bug: it throws on every record. */
  public static class ThrowingPartitioner implements Partitioner {
    @Override
    public int partition(
        String topic,
        Object key,
        byte[] keyBytes,
        Object value,
        byte[] valueBytes,
        Cluster cluster) {
      throw new UnsupportedOperationException("partitioner bug");
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  @Test
  void aThrowingPartitionerFailsTheSend(TestKafka broker) throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, Object> config = new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers()));
    config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ThrowingPartitioner.class.getName());
    Producers producers = new Producers(vertx, config, 1);
    String topic = "producers-failure-" + System.nanoTime();
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try {
      Future<RecordMetadata> sent =
          producers.send(new ProducerRecord<>(topic, "k", "v".getBytes(StandardCharsets.UTF_8)));
      Throwable failure =
          sent.<Throwable>transform(ar -> Future.succeededFuture(ar.cause()))
              .await(10, TimeUnit.SECONDS);
      assertThat(failure)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("partitioner bug");
    } finally {
      producers.close(5_000).await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
