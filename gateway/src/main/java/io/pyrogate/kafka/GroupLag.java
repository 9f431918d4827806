package io.pyrogate.kafka;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each endpoint is behind: records of its topic that its consumer group has not committed,
 * i.e. not yet delivered (or dead-lettered), summed over partitions; when the oldest of them was
 * stored; and the topic's retention, which deletes them undelivered once they are older. Read with
 * the admin client every interval, from the group's committed offsets and the topic's first and end
 * offsets, so it keeps counting while the endpoint is down and its consumer paused (a consumer's
 * own {@code records-lag} stops with its fetches), and is the group's lag whichever instance holds
 * the partitions. Records that retention deleted before delivery no longer count.
 *
 * <p>The oldest undelivered record's timestamp is read, for each partition with lag, from the
 * record at the committed offset, by a consumer of its own (no group) that fetches one batch; it is
 * kept while the committed offset stays where it is, so an endpoint in outage costs no fetch. A
 * WARN is logged once when that record's age passes {@link #RETENTION_WARNING} of the retention,
 * and an INFO when it is back under.
 *
 * <p>Who reads is a {@link Polling}'s choice: every instance on its own by default; in cluster mode
 * one member reads for all and shares its readings, which the others show in their gauges.
 */
public final class GroupLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupLag.class);

  /** How often the lag ({@code pyrogate_endpoint_lag_records}) is read. */
  private static final long INTERVAL_MS = 5_000;

  /** The share of the retention at which undelivered records are about to be deleted. */
  static final double RETENTION_WARNING = 0.8;

  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

  /**
   * What a reading sets for one group: its lag in records, the timestamp (Unix ms) of its oldest
   * undelivered record or 0 when none is, and its topic's {@code retention.ms} (-1: forever).
   */
  public record Gauges(AtomicLong records, AtomicLong oldestTimestampMs, AtomicLong retentionMs) {}

  /** One reading of a group: the values {@link Gauges} take. */
  public record Reading(long records, long oldestTimestampMs, long retentionMs) {}

  /** Whether this instance reads the lag from Kafka, or shows what another one read. */
  public interface Polling {
    /** Every instance reads on its own. */
    Polling ALWAYS =
        new Polling() {
          @Override
          public boolean active() {
            return true;
          }

          @Override
          public void share(String group, Reading reading) {}

          @Override
          public CompletionStage<Map<String, Reading>> shared() {
            return CompletableFuture.completedFuture(Map.of());
          }
        };

    /** Whether this instance reads from Kafka now. */
    boolean active();

    /** What this instance read of {@code group}, for the others. */
    void share(String group, Reading reading);

    /** The latest readings another instance shared, by group, while this one does not read. */
    CompletionStage<Map<String, Reading>> shared();
  }

  /** The timestamp of the record at {@code offset} of a partition, as last read. */
  private record Oldest(long offset, long timestampMs) {}

  private static final class Tracked {
    final String topic;
    final String name;
    final Gauges gauges;
    final Map<TopicPartition, Oldest> oldest = new ConcurrentHashMap<>();
    final AtomicBoolean nearRetention = new AtomicBoolean();

    Tracked(String topic, String name, Gauges gauges) {
      this.topic = topic;
      this.name = name;
      this.gauges = gauges;
    }
  }

  private final Vertx vertx;
  private final Admin admin;
  private final Map<String, Tracked> groups = new ConcurrentHashMap<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final long timer;
  private final Map<String, Object> readerConfig;
  private final Polling polling;

  /** The reader's only thread: a Kafka consumer is used by one thread at a time. */
  private final ExecutorService fetcher =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pyrogate-lag-reader");
            t.setDaemon(true);
            return t;
          });

  private KafkaConsumer<byte[], byte[]> reader;

  /**
   * Reads the lag of every tracked group every 5 s until {@link #close()}.
   *
   * @param consumerConfig the connection settings of pyrogate's consumers; the reader takes them
   *     without the group
   */
  public GroupLag(Vertx vertx, Admin admin, Map<String, Object> consumerConfig) {
    this(vertx, admin, consumerConfig, Polling.ALWAYS);
  }

  /**
   * Reads the lag of every tracked group every 5 s until {@link #close()} while {@code polling} is
   * active, and shows the readings it shares while not.
   */
  public GroupLag(Vertx vertx, Admin admin, Map<String, Object> consumerConfig, Polling polling) {
    this.vertx = vertx;
    this.admin = admin;
    this.polling = polling;
    Map<String, Object> c = new HashMap<>(consumerConfig);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "pyrogate-lag-reader");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // One record's timestamp is all it needs: the broker still sends the first batch whole.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1");
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1");
    this.readerConfig = Map.copyOf(c);
    this.timer = vertx.setPeriodic(INTERVAL_MS, t -> readAll());
  }

  /**
   * Keeps {@code gauges} at the lag of {@code group} on {@code topic} from the next reading on.
   *
   * @param name how log lines name the endpoint
   */
  public void track(String group, String topic, String name, Gauges gauges) {
    groups.put(group, new Tracked(topic, name, gauges));
  }

  /** Stops reading the group's lag and sets its gauges to 0 (the endpoint is gone). */
  public void untrack(String group) {
    Tracked gone = groups.remove(group);
    if (gone != null) {
      gone.gauges.records().set(0);
      gone.gauges.oldestTimestampMs().set(0);
    }
  }

  /** One reading of every tracked group; skipped while the last one is still waiting for Kafka. */
  void readAll() {
    if (groups.isEmpty() || !reading.compareAndSet(false, true)) {
      return;
    }
    if (!polling.active()) {
      polling
          .shared()
          .whenComplete(
              (readings, e) -> {
                reading.set(false);
                if (readings != null) {
                  readings.forEach(this::show);
                }
              });
      return;
    }
    try {
      CompletableFuture<?>[] reads =
          Map.copyOf(groups).entrySet().stream()
              .map(e -> read(e.getKey(), e.getValue()).toCompletableFuture())
              .toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(reads).whenComplete((v, e) -> reading.set(false));
    } catch (
        RuntimeException e) { // the admin client refused the call (closing): try again next time
      reading.set(false);
      LOG.debug("consumer group lag not read: {}", e.getMessage());
    }
  }

  private CompletionStage<Void> read(String group, Tracked tracked) {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .toCompletionStage()
        .thenCompose(committed -> undelivered(committed, tracked.topic))
        .thenCompose(
            undelivered ->
                oldestTimestamp(tracked, undelivered)
                    .thenCombine(
                        retentionMs(tracked.topic),
                        (oldest, retention) -> {
                          if (groups.get(group) == tracked) {
                            Reading read = new Reading(total(undelivered), oldest, retention);
                            set(tracked.gauges, read);
                            warnNearRetention(tracked, oldest, retention);
                            polling.share(group, read);
                          }
                          return (Void) null;
                        }))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.debug("lag of consumer group {} not read: {}", group, e.getMessage());
              }
            });
  }

  /**
   * For each partition with records after its committed offset, the first of them and the end:
   * records that retention deleted do not count.
   */
  private CompletionStage<Map<TopicPartition, long[]>> undelivered(
      Map<TopicPartition, OffsetAndMetadata> committed, String topic) {
    Map<TopicPartition, OffsetSpec> first = new HashMap<>();
    Map<TopicPartition, OffsetSpec> end = new HashMap<>();
    committed.forEach(
        (tp, offset) -> {
          if (offset != null && tp.topic().equals(topic)) {
            first.put(tp, OffsetSpec.earliest());
            end.put(tp, OffsetSpec.latest());
          }
        });
    if (end.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    // Both asked at once: they are independent.
    return admin
        .listOffsets(first)
        .all()
        .toCompletionStage()
        .thenCombine(
            admin.listOffsets(end).all().toCompletionStage(),
            (firsts, ends) -> {
              Map<TopicPartition, long[]> ranges = new HashMap<>();
              for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                  ends.entrySet()) {
                long from =
                    Math.max(committed.get(e.getKey()).offset(), firsts.get(e.getKey()).offset());
                long to = e.getValue().offset();
                if (to > from) {
                  ranges.put(e.getKey(), new long[] {from, to});
                }
              }
              return ranges;
            });
  }

  /** Shows another instance's reading of a group this one tracks. */
  private void show(String group, Reading read) {
    Tracked tracked = groups.get(group);
    if (tracked != null) {
      set(tracked.gauges, read);
    }
  }

  private static void set(Gauges gauges, Reading read) {
    gauges.records().set(read.records());
    gauges.oldestTimestampMs().set(read.oldestTimestampMs());
    gauges.retentionMs().set(read.retentionMs());
  }

  private static long total(Map<TopicPartition, long[]> undelivered) {
    return undelivered.values().stream().mapToLong(r -> r[1] - r[0]).sum();
  }

  /**
   * The earliest timestamp of the first undelivered record over the partitions, 0 when none is
   * undelivered; a partition whose first undelivered offset did not move since the last reading is
   * not fetched again.
   */
  private CompletionStage<Long> oldestTimestamp(
      Tracked tracked, Map<TopicPartition, long[]> undelivered) {
    tracked.oldest.keySet().retainAll(undelivered.keySet());
    Map<TopicPartition, Long> toFetch = new HashMap<>();
    undelivered.forEach(
        (tp, range) -> {
          Oldest known = tracked.oldest.get(tp);
          if (known == null || known.offset() != range[0]) {
            toFetch.put(tp, range[0]);
          }
        });
    CompletableFuture<Long> done = new CompletableFuture<>();
    Runnable fetchAndCombine =
        () -> {
          try {
            toFetch.forEach(
                (tp, offset) -> {
                  long timestamp = fetchTimestamp(tp, offset);
                  if (timestamp >= 0) {
                    tracked.oldest.put(tp, new Oldest(offset, timestamp));
                  } else {
                    tracked.oldest.remove(tp); // stale: its record was delivered
                  }
                });
            done.complete(
                tracked.oldest.values().stream().mapToLong(Oldest::timestampMs).min().orElse(0));
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        };
    if (toFetch.isEmpty()) {
      fetchAndCombine.run();
    } else {
      try {
        fetcher.execute(fetchAndCombine);
      } catch (RejectedExecutionException closed) {
        done.completeExceptionally(closed);
      }
    }
    return done;
  }

  /**
   * The timestamp of the first record at or after {@code offset}, -1 when none came within {@link
   * #FETCH_TIMEOUT}. On the fetcher thread only.
   */
  private long fetchTimestamp(TopicPartition tp, long offset) {
    if (reader == null) {
      reader =
          new KafkaConsumer<>(
              readerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    reader.assign(List.of(tp));
    reader.seek(tp, offset);
    long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        return r.timestamp();
      }
    }
    return -1;
  }

  private CompletionStage<Long> retentionMs(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(resource))
        .all()
        .toCompletionStage()
        .thenApply(
            configs -> {
              Config config = configs.get(resource);
              return Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            });
  }

  /** Logs once when the oldest record passes the warning share of the retention, once when back. */
  private static void warnNearRetention(Tracked tracked, long oldestMs, long retentionMs) {
    long ageMs = oldestMs == 0 ? 0 : System.currentTimeMillis() - oldestMs;
    boolean near = retentionMs > 0 && ageMs >= RETENTION_WARNING * retentionMs;
    if (near && tracked.nearRetention.compareAndSet(false, true)) {
      LOG.warn(
          "{}: the oldest undelivered profile is {} s old, over {} % of topic {}'s retention ({} s):"
              + " Kafka deletes profiles older than that before they are delivered",
          tracked.name,
          ageMs / 1000,
          Math.round(RETENTION_WARNING * 100),
          tracked.topic,
          retentionMs / 1000);
    } else if (!near && tracked.nearRetention.compareAndSet(true, false)) {
      LOG.info(
          "{}: the oldest undelivered profile is back under {} % of topic {}'s retention",
          tracked.name, Math.round(RETENTION_WARNING * 100), tracked.topic);
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    fetcher.execute(
        () -> {
          if (reader != null) {
            reader.close(CloseOptions.timeout(Duration.ofSeconds(1)));
          }
        });
    fetcher.shutdown();
    try {
      fetcher.awaitTermination(FETCH_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
