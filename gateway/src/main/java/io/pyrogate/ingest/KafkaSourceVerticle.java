package io.pyrogate.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.kafka.DeadLetters;
import io.pyrogate.kafka.OffsetCommitter;
import io.pyrogate.kafka.Producers;
import io.pyrogate.ops.Metrics;
import io.pyrogate.pyroscope.PushRequests;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.record.RecordFormatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code pyroscope.receive_kafka} component: consumes users' topics and stores every record for its
 * {@code forward_to} writes, committing a source offset only after every write acknowledged it. A record it
 * cannot read goes to the component's dead-letter topic with the reason; the source never stops on one bad
 * record. While a write cannot be reached, or too much is in flight, the consumer is paused.
 */
public final class KafkaSourceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceVerticle.class);
  static final long WINDOW_BYTES = 16L * 1024 * 1024;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long STOP_GRACE_MS = 5_000;

  private final ReceiveKafkaComponent component;
  private final Map<String, Object> consumerConfig;
  private final List<ProfileReceiver> targets;
  private final DeadLetters deadLetters;
  private final Metrics.IngestMetrics metrics;
  private final Map<Long, Runnable> timers = new HashMap<>();
  private KafkaReadStream<String, byte[]> consumer;
  private OffsetCommitter offsets;
  private long windowBytes;
  private int inFlight;
  private int retrying;
  private boolean paused;
  private boolean stopping;
  private Promise<Void> drained;

  public KafkaSourceVerticle(ReceiveKafkaComponent component, Map<String, Object> consumerConfig,
      List<ProfileReceiver> targets, Producers producer, String deadLetterTopic,
      Metrics.IngestMetrics metrics) {
    this.component = component;
    this.metrics = metrics;
    this.consumerConfig = new HashMap<>(consumerConfig);
    this.targets = List.copyOf(targets);
    this.deadLetters = new DeadLetters(producer, deadLetterTopic);
  }

  @Override
  public Future<?> start() {
    consumer = KafkaReadStream.create(vertx, new HashMap<>(consumerConfig), String.class, byte[].class);
    offsets = new OffsetCommitter(vertx, consumer, describe());
    consumer.exceptionHandler(e -> LOG.warn("{}: Kafka consumer error: {}", describe(), e.getMessage()));
    consumer.partitionsRevokedHandler(offsets::revoke);
    consumer.handler(this::accept);
    return consumer.subscribe(new HashSet<>(component.topics()))
        .onSuccess(v -> LOG.info("{}: consuming {}", describe(), component.topics()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    updateFlow();
    // Pending retries run now: seeing `stopping`, they give their record back uncommitted.
    List<Runnable> pending = new ArrayList<>(timers.values());
    timers.keySet().forEach(vertx::cancelTimer);
    timers.clear();
    pending.forEach(Runnable::run);
    drained = Promise.promise();
    if (inFlight == 0) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(STOP_GRACE_MS, t -> drained.tryComplete());
    return drained.future()
        .compose(v -> {
          vertx.cancelTimer(timer);
          return offsets.commitNow();
        })
        .eventually(() -> consumer.close());
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    if (stopping) {
      return;
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    long size = Math.max(0, record.serializedValueSize());
    offsets.received(tp, record.offset());
    windowBytes += size;
    inFlight++;
    updateFlow();
    ProfileRecord profile;
    try {
      profile = validated(RecordCodec.fromKafka(record));
    } catch (RecordFormatException e) {
      deadLetter(record, tp, size, e.getMessage(), 1);
      return;
    }
    String key = record.key() != null ? record.key() : RecordCodec.key(profile.tenant(), "");
    store(record, tp, size, profile, key, 1);
  }

  /** The same checks ingest makes, so a bad record stops here instead of failing at every endpoint. */
  private static ProfileRecord validated(ProfileRecord profile) {
    if (profile.kind() == ProfileRecord.Kind.PUSH && profile.contentEncoding() == null) {
      try {
        if (PushRequests.parse(profile.payload()).getSeriesCount() == 0) {
          throw new RecordFormatException("push request without series");
        }
      } catch (InvalidProtocolBufferException e) {
        throw new RecordFormatException("value is not a push.v1.PushRequest: " + e.getMessage());
      }
    }
    return profile;
  }

  private void store(ConsumerRecord<String, byte[]> record, TopicPartition tp, long size, ProfileRecord profile,
      String key, int attempt) {
    if (stopping) {
      release(size, attempt > 1);
      return;
    }
    List<Future<Void>> writes = new ArrayList<>(targets.size());
    targets.forEach(t -> writes.add(t.append(profile, key)));
    Future.all(writes).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.request("kafka", "stored", size);
        offsets.done(tp, record.offset());
        release(size, attempt > 1);
      } else if (stopping) {
        release(size, attempt > 1);
      } else {
        LOG.warn("{}: cannot store {}-{}@{} yet, retrying: {}", describe(), record.topic(), record.partition(),
            record.offset(), ar.cause().getMessage());
        retryLater(attempt, () -> store(record, tp, size, profile, key, attempt + 1));
      }
    });
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, TopicPartition tp, long size, String reason, int attempt) {
    if (stopping && attempt > 1) {
      release(size, true);
      return;
    }
    deadLetters.write(record, "pyroscope.receive_kafka." + component.label(), reason, 0, 0,
        record.timestamp(), System.currentTimeMillis()).onComplete(ar -> {
          if (ar.succeeded()) {
            metrics.request("kafka", "dead_letter", size);
            LOG.warn("{}: record {}-{}@{} moved to the dead-letter topic: {}", describe(), record.topic(),
                record.partition(), record.offset(), reason);
            offsets.done(tp, record.offset());
            release(size, attempt > 1);
          } else if (stopping) {
            release(size, attempt > 1);
          } else {
            retryLater(attempt, () -> deadLetter(record, tp, size, reason, attempt + 1));
          }
        });
  }

  private void retryLater(int attempt, Runnable again) {
    if (attempt == 1) {
      retrying++;
      updateFlow();
    }
    long delay = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(attempt - 1, 10));
    delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    long[] id = new long[1];
    id[0] = vertx.setTimer(Math.max(1, delay), t -> {
      timers.remove(id[0]);
      again.run();
    });
    timers.put(id[0], again);
  }

  private void release(long size, boolean wasRetrying) {
    windowBytes -= size;
    inFlight--;
    if (wasRetrying) {
      retrying--;
    }
    updateFlow();
    if (stopping && inFlight == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  private void updateFlow() {
    boolean pause = stopping || retrying > 0 || windowBytes >= WINDOW_BYTES;
    if (pause && !paused) {
      paused = true;
      consumer.pause();
    } else if (!pause && paused) {
      paused = false;
      consumer.resume();
    }
  }

  private String describe() {
    return "pyroscope.receive_kafka \"" + component.label() + "\"";
  }
}
