package io.pyrogate.kafka;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each endpoint is behind: records of its topic that its consumer group has not committed,
 * i.e. not yet delivered (or dead-lettered), summed over partitions. Read with the admin client
 * every interval, from the group's committed offsets and the topic's first and end offsets, so it
 * keeps counting while the endpoint is down and its consumer paused (a consumer's own {@code
 * records-lag} stops with its fetches), and is the group's lag whichever instance holds the
 * partitions. Records that retention deleted before delivery no longer count.
 */
public final class GroupLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupLag.class);

  /** How often the lag ({@code pyrogate_endpoint_lag_records}) is read. */
  private static final long INTERVAL_MS = 5_000;

  private record Tracked(String topic, AtomicLong records) {}

  private final Vertx vertx;
  private final Admin admin;
  private final Map<String, Tracked> groups = new ConcurrentHashMap<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final long timer;

  /** Reads the lag of every tracked group every 5 s until {@link #close()}. */
  public GroupLag(Vertx vertx, Admin admin) {
    this.vertx = vertx;
    this.admin = admin;
    this.timer = vertx.setPeriodic(INTERVAL_MS, t -> readAll());
  }

  /**
   * Keeps {@code records} at the lag of {@code group} on {@code topic} from the next reading on.
   */
  public void track(String group, String topic, AtomicLong records) {
    groups.put(group, new Tracked(topic, records));
  }

  /** Stops reading the group's lag and sets its gauge to 0 (the endpoint is gone). */
  public void untrack(String group) {
    Tracked gone = groups.remove(group);
    if (gone != null) {
      gone.records().set(0);
    }
  }

  /** One reading of every tracked group; skipped while the last one is still waiting for Kafka. */
  void readAll() {
    if (groups.isEmpty() || !reading.compareAndSet(false, true)) {
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

  private CompletionStage<Long> read(String group, Tracked tracked) {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .toCompletionStage()
        .thenCompose(committed -> lag(committed, tracked.topic()))
        .whenComplete(
            (lag, e) -> {
              if (e != null) {
                LOG.debug("lag of consumer group {} not read: {}", group, e.getMessage());
              } else if (groups.get(group) == tracked) {
                tracked.records().set(lag);
              }
            });
  }

  /**
   * Records after each committed offset up to the partition's end, not counting those retention
   * deleted.
   */
  private CompletionStage<Long> lag(
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
      return CompletableFuture.completedFuture(0L);
    }
    // Both asked at once: they are independent.
    return admin
        .listOffsets(first)
        .all()
        .toCompletionStage()
        .thenCombine(
            admin.listOffsets(end).all().toCompletionStage(),
            (firsts, ends) -> {
              long lag = 0;
              for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                  ends.entrySet()) {
                long from =
                    Math.max(committed.get(e.getKey()).offset(), firsts.get(e.getKey()).offset());
                lag += Math.max(0, e.getValue().offset() - from);
              }
              return lag;
            });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
