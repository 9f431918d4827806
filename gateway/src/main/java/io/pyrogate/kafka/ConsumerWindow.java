package io.pyrogate.kafka;

import io.pyrogate.logging.ComponentLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * The flow control of one Kafka consumer whose records are processed asynchronously (an endpoint's
 * delivery, a source's stores): it owns the subscription, holds every record from its arrival until
 * the owner says it is done or gives it back, bounds what is held in bytes and records, arms the
 * owner's retry timers, commits only the done prefix of each partition through {@link
 * OffsetCommitter}, and drains on stop. Used from the owning verticle's event loop only.
 *
 * <p>Flow control never stops polling: when the window is full, every assigned partition is paused
 * at the Kafka consumer ({@code KafkaConsumer#pause}) while the consumer keeps polling, so it stays
 * in its group for an outage of any length. (Pausing the Vert.x stream itself stops polling, and
 * after {@code max.poll.interval.ms} the group evicts the consumer: its commits fail and its
 * records go to another member while it still works on them.) Partitions assigned while paused are
 * paused at once. The bounds are soft by one poll: what the consumer fetched before a pause took
 * effect (at most {@code max.poll.records}) is still handed over. A record waiting for a retry does
 * not pause the consumer by itself: more records keep coming until the window is full, so an
 * endpoint that fails one record but serves the others shows it (and that record alone spends its
 * retries), while what is held stays bounded.
 *
 * <p>When partitions are revoked, what is done in them is committed and their held records are
 * given back uncommitted: their retry timers no longer run them, and an answer that comes back for
 * one is ignored ({@link Held#released()}), so the new owner alone decides their fate.
 */
public final class ConsumerWindow {

  /** One record in the window, from its arrival until it is done or given back. */
  public static final class Held {
    private final ConsumerRecord<String, byte[]> record;
    private final TopicPartition partition;
    private final long size;
    private boolean released;

    /**
     * A record as the window holds it; a Held made elsewhere (e.g. in a unit test) is in no window.
     */
    public Held(ConsumerRecord<String, byte[]> record) {
      this.record = record;
      this.partition = new TopicPartition(record.topic(), record.partition());
      this.size =
          Math.max(0, record.serializedValueSize()) + Math.max(0, record.serializedKeySize());
    }

    public ConsumerRecord<String, byte[]> record() {
      return record;
    }

    /** Key and value bytes: what the record weighs in the window. */
    public long size() {
      return size;
    }

    /**
     * True once the record left the window: done, given back, or taken away because its partition
     * was revoked or the consumer stopped. Nothing more may be done with it: no retry, no dead
     * letter.
     */
    public boolean released() {
      return released;
    }

    /** Where the record is, for log lines: topic-partition@offset. */
    public String describe() {
      return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
  }

  /**
   * The window's bounds.
   *
   * @param maxBytes bytes held at most (soft by one poll)
   * @param maxRecords records held at most (soft by one poll)
   * @param stopGrace how long {@link #stop()} waits for held records before committing and closing
   */
  public record Limits(long maxBytes, int maxRecords, Duration stopGrace) {}

  /**
   * Where the window reports what it holds, e.g. an endpoint's metrics; {@link #none()} for
   * nowhere.
   */
  public record Gauges(AtomicLong bytes, AtomicLong records) {
    public static Gauges none() {
      return new Gauges(new AtomicLong(), new AtomicLong());
    }
  }

  private final Vertx vertx;
  private final Map<String, Object> consumerConfig;
  private final Set<String> topics;
  private final Limits limits;
  private final Gauges gauges;
  private final String name;
  private final ComponentLog log;

  /** Held records of each assigned partition, in arrival order. */
  private final Map<TopicPartition, Set<Held>> byPartition = new HashMap<>();

  /** Armed retry timers, each with the records it holds. */
  private final Map<Long, List<Held>> timers = new HashMap<>();

  private final Set<TopicPartition> assigned = new HashSet<>();

  /** The partition numbers of {@link #assigned}, sorted, for other threads. */
  private volatile List<Integer> partitions = List.of();

  private KafkaReadStream<String, byte[]> consumer;
  private OffsetCommitter offsets;
  private long bytes;
  private int records;
  private volatile boolean paused;
  private boolean stopping;
  private Promise<Void> drained;
  private Runnable onRevoked = () -> {};
  private KafkaClientMeters meters = KafkaClientMeters.none();
  private KafkaClientMeters.Binding metered;

  /**
   * @param name how log lines name the consumer
   * @param log the log of the component (and endpoint) the consumer reads for
   */
  public ConsumerWindow(
      Vertx vertx,
      Map<String, Object> consumerConfig,
      Collection<String> topics,
      Limits limits,
      Gauges gauges,
      String name,
      ComponentLog log) {
    this.vertx = vertx;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.topics = Set.copyOf(topics);
    this.limits = limits;
    this.gauges = gauges;
    this.name = name;
    this.log = log;
  }

  /**
   * Runs {@code listener} after partitions were revoked and their records given back, so that the
   * owner can drop what it keeps of them (requests waiting in an outage would otherwise hold their
   * payloads until their turn).
   */
  public void onRevoked(Runnable listener) {
    this.onRevoked = listener;
  }

  /** Serves the consumer's own metrics with {@code meters}' tags while it runs; before start. */
  public void meteredBy(KafkaClientMeters meters) {
    this.meters = meters;
  }

  /**
   * Subscribes; every record that arrives is held and handed to {@code handler}. Should the handler
   * throw, the record goes to {@code failed} (e.g. to be dead-lettered) unless the handler released
   * it: else it would stay held and pin its partition's commits.
   */
  public Future<Void> start(Consumer<Held> handler, BiConsumer<Held, RuntimeException> failed) {
    consumer =
        KafkaReadStream.create(vertx, new HashMap<>(consumerConfig), String.class, byte[].class);
    consumer.exceptionHandler(
        e -> {
          // A failed commit reaches this handler too; OffsetCommitter reports it.
          if (!(e instanceof RebalanceInProgressException || e instanceof CommitFailedException)) {
            log.warn("{}: Kafka consumer error: {}", name, e.getMessage());
          }
        });
    metered = meters.bind(consumer.unwrap());
    offsets = new OffsetCommitter(vertx, consumer::commit, name, log);
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    consumer.handler(
        record -> {
          Held h = new Held(record);
          if (stopping || !assigned.contains(h.partition)) {
            // Not held, so never committed: the next owner processes it. A poll made before a
            // revocation can
            // still hand over records of the revoked partition after the revocation was handled.
            return;
          }
          offsets.received(h.partition, record.offset());
          byPartition.computeIfAbsent(h.partition, tp -> new LinkedHashSet<>()).add(h);
          bytes += h.size;
          records++;
          gauges.bytes().addAndGet(h.size);
          gauges.records().incrementAndGet();
          updateFlow();
          try {
            handler.accept(h);
          } catch (RuntimeException e) {
            log.error("{}: handling {} failed", name, h.describe(), e);
            if (!h.released) {
              failed.accept(h, e);
            }
          }
        });
    return consumer.subscribe(topics);
  }

  /** True from {@link #stop()} on: whatever fails now is given back, not retried. */
  public boolean stopping() {
    return stopping;
  }

  /** The record is done (delivered, stored or dead-lettered): its offset may be committed. */
  public void done(Held h) {
    if (h.released) {
      return;
    }
    offsets.done(
        h.partition, h.record.offset()); // before release: the last release lets stop() commit
    release(h);
  }

  /**
   * Gives the record back uncommitted, for this group to process again after a restart or
   * rebalance.
   */
  public void giveBack(Held h) {
    if (!h.released) {
      release(h);
    }
  }

  /**
   * Runs {@code again} after {@code wait}. If the consumer stops first, the timer is cancelled and
   * its records given back; if some were taken away by a revocation, {@code again} runs for the
   * others only (it must skip {@link Held#released()} records), and not at all when none is left.
   */
  public void retryLater(Collection<Held> held, Duration wait, Runnable again) {
    List<Held> live = held.stream().filter(h -> !h.released).toList();
    if (live.isEmpty()) {
      return;
    }
    if (stopping) {
      live.forEach(this::giveBack);
      return;
    }
    long[] id = new long[1];
    id[0] =
        vertx.setTimer(
            Math.max(1, wait.toMillis()),
            t -> {
              timers.remove(id[0]);
              if (live.stream().anyMatch(h -> !h.released)) {
                again.run();
              }
            });
    timers.put(id[0], live);
  }

  /**
   * Stops taking records, gives back what waits for a retry, waits up to the grace for what is in
   * flight, commits what is done and closes the consumer.
   */
  public Future<Void> stop() {
    stopping = true;
    updateFlow();
    Map<Long, List<Held>> armed = new HashMap<>(timers);
    timers.clear();
    armed.forEach(
        (id, held) -> {
          vertx.cancelTimer(id);
          held.forEach(this::giveBack);
        });
    drained = Promise.promise();
    if (records == 0) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(limits.stopGrace().toMillis(), t -> drained.tryComplete());
    return drained
        .future()
        .compose(
            v -> {
              vertx.cancelTimer(timer);
              return offsets.commitNow();
            })
        .eventually(
            () -> {
              metered.close();
              return consumer.close();
            });
  }

  private void assigned(Set<TopicPartition> partitions) {
    assigned.addAll(partitions);
    publishAssignment();
    if (paused) {
      applyFlow(); // a new partition starts unpaused in the Kafka consumer
    }
  }

  private void revoked(Set<TopicPartition> partitions) {
    offsets.revoke(partitions);
    assigned.removeAll(partitions);
    publishAssignment();
    int takenAway = 0;
    for (TopicPartition tp : partitions) {
      Set<Held> held = byPartition.remove(tp);
      if (held != null) {
        takenAway += held.size();
        List.copyOf(held).forEach(this::release);
      }
    }
    if (takenAway > 0) {
      onRevoked.run();
      log.info(
          "{}: partitions {} revoked; {} records in them given back to their new owner",
          name,
          partitions,
          takenAway);
    }
  }

  private void release(Held h) {
    h.released = true;
    Set<Held> held = byPartition.get(h.partition);
    if (held != null) {
      held.remove(h);
    }
    bytes -= h.size;
    records--;
    gauges.bytes().addAndGet(-h.size);
    gauges.records().decrementAndGet();
    updateFlow();
    if (stopping && records == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  private void updateFlow() {
    boolean pause = stopping || bytes >= limits.maxBytes() || records >= limits.maxRecords();
    if (pause != paused) {
      paused = pause;
      applyFlow();
    }
  }

  /**
   * Pauses or resumes, as the window wants now, every partition the consumer has. A partition
   * revoked in between makes the call fail part way (the partitions after it untouched), so it is
   * made again with the assignment as it is then, unless the window changed its mind meanwhile
   * (which made its own call).
   */
  private void applyFlow() {
    Set<TopicPartition> all = Set.copyOf(assigned);
    if (all.isEmpty()) {
      return;
    }
    boolean pause = paused;
    (pause ? consumer.pause(all) : consumer.resume(all))
        .onFailure(
            e -> {
              log.debug(
                  "{}: {} raced a rebalance, again: {}",
                  name,
                  pause ? "pause" : "resume",
                  e.getMessage());
              consumer
                  .assignment()
                  .onSuccess(
                      now -> {
                        assigned.retainAll(now);
                        publishAssignment();
                        if (paused == pause) {
                          applyFlow();
                        }
                      });
            });
  }

  /**
   * Whether the window is full (or stopping) and the consumer's partitions are paused; readable
   * from any thread.
   */
  public boolean paused() {
    return paused;
  }

  /** The partitions assigned now, by number; readable from any thread. */
  public List<Integer> partitions() {
    return partitions;
  }

  private void publishAssignment() {
    partitions = assigned.stream().map(TopicPartition::partition).sorted().toList();
  }

  /** Records held now; for tests and diagnostics. */
  int held() {
    return records;
  }
}
