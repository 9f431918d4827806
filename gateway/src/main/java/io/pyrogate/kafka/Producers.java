package io.pyrogate.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka producers every stage writes through: {@code count} of them, each thread given one round-robin on its
 * first send and keeping it, so the records a thread sends keep their order, while sends from different event loops
 * travel over different connections that the broker handles in parallel.
 */
public final class Producers {
  private static final Logger LOG = LoggerFactory.getLogger(Producers.class);

  private final List<KafkaWriteStream<String, byte[]>> producers = new ArrayList<>();
  private final AtomicInteger nextSlot = new AtomicInteger();
  private final ThreadLocal<KafkaWriteStream<String, byte[]>> mine;

  public Producers(Vertx vertx, Map<String, Object> config, int count) {
    for (int i = 0; i < count; i++) {
      Map<String, Object> own = new HashMap<>(config);
      if (count > 1) {
        // Kafka registers each client's metrics under its client.id; two producers with one id collide.
        own.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-" + i);
      }
      KafkaWriteStream<String, byte[]> p = KafkaWriteStream.create(vertx, new KafkaProducer<String, byte[]>(own));
      // Each send's own future carries its failure to the caller (ingest answers 503, delivery retries).
      p.exceptionHandler(e -> LOG.debug("Kafka producer: {}", e.getMessage()));
      producers.add(p);
    }
    mine = ThreadLocal.withInitial(() -> producers.get(Math.floorMod(nextSlot.getAndIncrement(), producers.size())));
  }

  /** Completes when Kafka acknowledged the record (acks=all), fails when it could not. */
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    return mine.get().send(record);
  }

  /** Flushes and closes every producer, waiting at most {@code timeoutMs} for each. */
  public Future<Void> close(long timeoutMs) {
    return Future.join(producers.stream().map(p -> p.close(timeoutMs)).toList()).mapEmpty();
  }
}
