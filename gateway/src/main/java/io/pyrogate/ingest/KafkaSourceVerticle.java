package io.pyrogate.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.delivery.RetryPolicy;
import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.kafka.DeadLetters;
import io.pyrogate.kafka.Producers;
import io.pyrogate.logging.ComponentLog;
import io.pyrogate.ops.Metrics;
import io.pyrogate.pyroscope.PushRequests;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.record.RecordFormatException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@code pyroscope.receive_kafka} component: consumes users' topics and stores every record for
 * its {@code forward_to} writes, committing a source offset only after every write acknowledged it.
 * A record it cannot read goes to the component's dead-letter topic with the reason; the source
 * never stops on one bad record. A store or dead letter that fails is retried for as long as it
 * takes, with the backoff of a {@link RetryPolicy}; meanwhile, or while too much is in flight, the
 * consumer's partitions are paused (see {@link ConsumerWindow}).
 */
public final class KafkaSourceVerticle extends VerticleBase {
  static final long WINDOW_BYTES = 16L * 1024 * 1024;
  static final int WINDOW_RECORDS = 1024;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ReceiveKafkaComponent component;
  private final ComponentLog log;
  private final Map<String, Object> consumerConfig;
  private final List<ProfileReceiver> targets;
  private final DeadLetters deadLetters;
  private final Metrics.IngestMetrics metrics;
  private final RetryPolicy retryPolicy;
  private ConsumerWindow window;

  public KafkaSourceVerticle(
      ReceiveKafkaComponent component,
      Map<String, Object> consumerConfig,
      List<ProfileReceiver> targets,
      Producers producers,
      String deadLetterTopic,
      Metrics.IngestMetrics metrics) {
    this(
        component,
        consumerConfig,
        targets,
        producers,
        deadLetterTopic,
        metrics,
        defaultRetryPolicy());
  }

  /**
   * @param retryPolicy the backoff between tries of a failed store or dead letter; injectable for
   *     tests
   */
  public KafkaSourceVerticle(
      ReceiveKafkaComponent component,
      Map<String, Object> consumerConfig,
      List<ProfileReceiver> targets,
      Producers producers,
      String deadLetterTopic,
      Metrics.IngestMetrics metrics,
      RetryPolicy retryPolicy) {
    this.component = component;
    this.log =
        ComponentLog.of(KafkaSourceVerticle.class, "pyroscope.receive_kafka." + component.label());
    this.metrics = metrics;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.targets = List.copyOf(targets);
    this.deadLetters = new DeadLetters(producers, deadLetterTopic);
    this.retryPolicy = retryPolicy;
  }

  /**
   * 500 ms doubling up to 30 s, forever: a store fails only while the write's topic cannot be
   * reached, and giving up on a record there would lose it.
   */
  static RetryPolicy defaultRetryPolicy() {
    return new RetryPolicy(
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        0,
        true,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public Future<?> start() {
    window =
        new ConsumerWindow(
            vertx,
            consumerConfig,
            component.topics(),
            new ConsumerWindow.Limits(WINDOW_BYTES, WINDOW_RECORDS, STOP_GRACE),
            ConsumerWindow.Gauges.none(),
            describe(),
            log);
    window.meteredBy(metrics.kafkaClient());
    return window
        .start(this::accept, (held, e) -> deadLetter(held, e.toString(), 1))
        .onSuccess(v -> log.info("{}: consuming {}", describe(), component.topics()));
  }

  @Override
  public Future<?> stop() {
    return window.stop();
  }

  private void accept(ConsumerWindow.Held held) {
    ConsumerRecord<String, byte[]> record = held.record();
    ProfileRecord profile;
    try {
      profile = validated(RecordCodec.fromKafka(record));
    } catch (RecordFormatException e) {
      deadLetter(held, e.getMessage(), 1);
      return;
    }
    String key = record.key() != null ? record.key() : RecordCodec.key(profile.tenant(), "");
    store(held, profile, key, 1);
  }

  /**
   * The same checks ingest makes, so a bad record stops here instead of failing at every endpoint.
   */
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

  /**
   * @param attempt 1 for the first try
   */
  private void store(ConsumerWindow.Held held, ProfileRecord profile, String key, int attempt) {
    if (window.stopping()) {
      window.giveBack(held);
      return;
    }
    List<Future<Void>> writes = new ArrayList<>(targets.size());
    targets.forEach(t -> writes.add(t.append(profile, key)));
    Future.all(writes)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                if (!held.released()) {
                  metrics.request("kafka", "stored", held.size());
                }
                window.done(held);
              } else if (window.stopping()) {
                window.giveBack(held);
              } else if (ar.cause() instanceof Rejection) {
                // A pyroscope.relabel refused it: trying again would not change that.
                deadLetter(held, ar.cause().getMessage(), 1);
              } else {
                log.warn(
                    "{}: cannot store {} yet, retrying: {}",
                    describe(),
                    held.describe(),
                    ar.cause().getMessage());
                window.retryLater(
                    List.of(held),
                    retryPolicy.backoff(attempt),
                    () -> store(held, profile, key, attempt + 1));
              }
            });
  }

  /**
   * @param attempt 1 for the first try
   */
  private void deadLetter(ConsumerWindow.Held held, String reason, int attempt) {
    if (window.stopping() && attempt > 1) {
      window.giveBack(held);
      return;
    }
    ConsumerRecord<String, byte[]> record = held.record();
    deadLetters
        .write(
            record,
            "pyroscope.receive_kafka." + component.label(),
            reason,
            0,
            0,
            record.timestamp(),
            System.currentTimeMillis())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                metrics.request("kafka", "dead_letter", held.size());
                log.warn(
                    "{}: record {} moved to the dead-letter topic: {}",
                    describe(),
                    held.describe(),
                    reason);
                window.done(held);
              } else if (window.stopping()) {
                window.giveBack(held);
              } else {
                window.retryLater(
                    List.of(held),
                    retryPolicy.backoff(attempt),
                    () -> deadLetter(held, reason, attempt + 1));
              }
            });
  }

  private String describe() {
    return "pyroscope.receive_kafka \"" + component.label() + "\"";
  }
}
