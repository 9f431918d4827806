package io.pyrogate.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings shared by every Kafka client pyrogate creates. The safety-critical ones (acks,
 * idempotence, auto-commit) are fixed here and nowhere else.
 */
public final class KafkaDefaults {
  /** Largest request body pyrogate accepts and stores as one record. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Largest Kafka record: a body plus room for headers and key. */
  public static final int MAX_RECORD_BYTES = MAX_BODY_BYTES + 64 * 1024;

  /**
   * Longest a producer's send may block while the broker is unknown or its buffer full ({@code
   * max.block.ms}).
   */
  public static final int MAX_BLOCK_MS = 2_000;

  /**
   * Longest Kafka takes to acknowledge or give up on a record it accepted ({@code
   * delivery.timeout.ms}).
   */
  public static final int DELIVERY_TIMEOUT_MS = 7_000;

  /**
   * Longest a record waits for its producer's thread before it fails unsent (see {@link
   * Producers}).
   */
  public static final int SEND_QUEUE_MS = 1_000;

  /**
   * How long ingest waits at most for Kafka to acknowledge a record before answering 503: the three
   * above, so a record's fate is decided when the client is answered.
   */
  public static final int ACK_TIMEOUT_MS = SEND_QUEUE_MS + MAX_BLOCK_MS + DELIVERY_TIMEOUT_MS;

  /**
   * Socket send/receive buffer of producers, consumers and the embedded broker. Kafka's defaults
   * (128 KB, 64 KB, 100 KB) split a 1 MiB produce request into many partial writes, and Java copies
   * the whole unsent rest of a heap buffer into native memory for each; measured with
   * scripts/bench: end to end +15 %, CPU per profile -15 %.
   */
  public static final int SOCKET_BUFFER_BYTES = 1024 * 1024;

  /**
   * How long a consumer that stopped heartbeating (a crashed or killed pyrogate) keeps its
   * partitions before the group gives them to another member or to the restarted one. Kafka's 45 s
   * meant no delivery for 45-50 s after a kill -9 and restart; with 10 s the first record came
   * 9.7-10 s after the kill (CrashTakeoverIT), with three heartbeats per session so one late
   * heartbeat (a GC pause, a loaded machine) is not an eviction. 6 s gave 6 s, but it is the least
   * a broker accepts by default ({@code group.min.session.timeout.ms}), so a stricter cluster
   * refuses it. Static membership ({@code group.instance.id}; 0.5-1.2 s for the same instance
   * coming back) was left out: it helps only that instance, needs an id unique and stable per
   * instance, and a static member does not leave its group when it stops cleanly, so an instance
   * that does not come back holds its partitions for the whole session timeout.
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** A third of {@link #SESSION_TIMEOUT_MS}, as Kafka advises. */
  public static final int HEARTBEAT_INTERVAL_MS = 3_000;

  private KafkaDefaults() {}

  public static Map<String, String> producer(String bootstrapServers) {
    Map<String, String> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "pyrogate-ingest");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    // Profiles arrive compressed (gzipped pprof and JFR), so compressing the batch again saves
    // nothing and costs
    // CPU three times: in the producer, in the broker (which decompresses to validate) and in every
    // consumer.
    // Measured with scripts/bench: end to end +24 % over lz4 on the same machine.
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    c.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // A 50 KB profile is larger than the default 16 KB batch, which made every record its own
    // request.
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1024 * 1024));
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_RECORD_BYTES));
    c.put(ProducerConfig.SEND_BUFFER_CONFIG, Integer.toString(SOCKET_BUFFER_BYTES));
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
    c.put(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.StringSerializer");
    c.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.ByteArraySerializer");
    return c;
  }

  public static Map<String, String> consumer(String bootstrapServers, String groupId) {
    Map<String, String> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Starting offsets of a new group are set explicitly (see Topics#initGroupOffsets); if they are
    // ever
    // missing, re-delivering is better than skipping acknowledged profiles.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
    // Bigger fetches: a poll hands over up to 500 records (Kafka's default) and a partition up to 4
    // MiB (default 1 MiB,
    // 20 profiles), so delivery keeps up with ingest. Measured with scripts/bench: end to end +20 %
    // (interleaved runs:
    // 5,094 and 5,426 vs 4,492 and 4,303 profiles/s with 100 records and 1 MiB). fetch.max.bytes
    // bounds a poll.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
    c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(SOCKET_BUFFER_BYTES));
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    c.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.StringDeserializer");
    c.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    return c;
  }

  public static Map<String, Object> admin(String bootstrapServers) {
    Map<String, Object> c = new HashMap<>();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, "pyrogate-admin");
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    return c;
  }
}
