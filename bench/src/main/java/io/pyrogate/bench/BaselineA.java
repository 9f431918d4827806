package io.pyrogate.bench;

import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Baseline A, the durable limit: a plain kafka-clients producer with pyrogate's own producer
 * settings ({@link KafkaDefaults#producer}: acks=all, idempotence, no compression, 1 MiB batches)
 * writes the same records pyrogate writes (same value, headers, key spread, partitions) to the same
 * broker as fast as it can, then a plain consumer with pyrogate's consumer settings reads them
 * back.
 */
public final class BaselineA {
  private BaselineA() {}

  public static JsonObject run(String bootstrap, int partitions, Payloads payloads, double seconds)
      throws Exception {
    String topic = "bench.baseline-a." + System.nanoTime();
    try (Admin admin = Admin.create(KafkaDefaults.admin(bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < Payloads.SERVICES; i++) {
      byte[] value = payloads.push(i).toByteArray();
      records.add(
          RecordCodec.toKafka(
              topic,
              RecordCodec.key(null, "bench-app-" + i),
              ProfileRecord.push(null, value, System.currentTimeMillis())));
    }
    long valueBytes = records.get(0).value().length;
    Map<String, Object> pc = new HashMap<>(KafkaDefaults.producer(bootstrap));
    pc.put("client.id", "bench-baseline-a");
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong lastAck = new AtomicLong();
    AtomicLong warmupFailed = new AtomicLong();
    long sent = 0;
    long start;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pc)) {
      // Warm-up: connections, metadata, JIT; not counted.
      long warmEnd = System.nanoTime() + (long) (Math.min(seconds, 5) * 1e9);
      for (int i = 0; System.nanoTime() < warmEnd; i++) {
        producer.send(
            records.get(i % records.size()),
            (md, e) -> {
              if (e != null) {
                warmupFailed.incrementAndGet();
              }
            });
      }
      producer.flush();
      start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        producer.send(
            records.get((int) (sent % records.size())),
            (md, e) -> {
              if (e == null) {
                acked.incrementAndGet();
                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
              } else {
                failed.incrementAndGet();
              }
            });
        sent++;
      }
      producer.flush();
    }
    double produceSeconds = (lastAck.get() - start) / 1e9;

    Map<String, Object> cc =
        new HashMap<>(KafkaDefaults.consumer(bootstrap, "bench-baseline-a-" + System.nanoTime()));
    long consumed = 0;
    long firstPoll = 0;
    long lastPoll = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc)) {
      // Everything the topic holds: what was acknowledged, warm-up included.
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition(topic, i));
      }
      long total = consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + (long) ((seconds * 2 + 20) * 1e9);
      while (consumed < total && System.nanoTime() < deadline) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
        if (!batch.isEmpty()) {
          if (firstPoll == 0) {
            firstPoll = System.nanoTime();
          }
          for (var r : batch) {
            consumed++;
            RecordCodec.fromKafka(r);
          }
          lastPoll = System.nanoTime();
        }
      }
      consumer.commitSync();
    }
    // Gigabytes per run: deleted at once, so the runs after this one have the disk to themselves.
    try (Admin admin = Admin.create(KafkaDefaults.admin(bootstrap))) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    }
    double consumeSeconds = Math.max(1e-3, (lastPoll - firstPoll) / 1e9);
    return new JsonObject()
        .put("record_bytes", valueBytes)
        .put("partitions", partitions)
        .put("produced", acked.get())
        .put("produce_errors", failed.get())
        .put("warmup_errors", warmupFailed.get())
        .put("produce_s", LoadGen.round(produceSeconds, 3))
        .put("produce_records_per_s", LoadGen.round(acked.get() / produceSeconds, 1))
        .put("produce_mb_per_s", LoadGen.round(acked.get() * valueBytes / produceSeconds / 1e6, 1))
        .put("consumed", consumed)
        .put("consume_records_per_s", LoadGen.round(consumed / consumeSeconds, 1))
        .put("consume_mb_per_s", LoadGen.round(consumed * valueBytes / consumeSeconds / 1e6, 1));
  }
}
