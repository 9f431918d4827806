package io.pyrogate.delivery;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.Redact;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.kafka.DeadLetters;
import io.pyrogate.kafka.Producers;
import io.pyrogate.logging.ComponentLog;
import io.pyrogate.ops.Metrics;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.record.RecordFormatException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.ProxyOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Delivers one endpoint of a {@code pyroscope.write} component from the component's topic, in the
 * endpoint's own consumer group, so it progresses independently of every other endpoint: it
 * consumes, hands each record to the sender and commits what is done.
 *
 * <p>Each record is prepared ({@link RecordPreparer}: external labels) and grouped into requests
 * ({@link Batcher}: push records of one tenant in one PushRequest); {@link EndpointSender} makes
 * the attempts. At most {@link EndpointClients#MAX_CONNECTIONS} requests are in flight, the others
 * wait their turn in a {@link SendQueue} and not in the HTTP client's pool. A request succeeds or
 * fails as a whole. A record is done when the endpoint answered 2xx to its request or when it was
 * written to the dead-letter topic; only the done prefix of each partition is committed. When the
 * window is full the consumer's partitions are paused (it keeps polling, so it stays in its group):
 * lag builds up in Kafka, not in heap. The window, retry timers, commits and drain-on-stop are the
 * {@link ConsumerWindow}'s.
 *
 * <p>An endpoint that answers nothing is in outage ({@link EndpointHealth}), which is no record's
 * failure: the requests wait in the queue and one at a time goes as a probe, the next after a
 * backoff growing to {@code max_backoff_period}, for as long as it takes. A record spends its
 * {@code max_backoff_retries} only on a failure of its own: the endpoint answered a request sent
 * after the failed one, and is not in outage. It goes to the dead-letter topic only when that
 * budget is spent (a batch is first split into single records), or when refused for good. Records
 * keep coming into the window while some are retried, so a record the endpoint fails on its own
 * cannot pass for an outage: the other records show the endpoint serving.
 *
 * <p>In cluster mode the endpoint's back-off is shared ({@link SharedBackOff}): a Retry-After, an
 * outage and each failed probe hold the endpoint's requests on every member for the wait, and the
 * end of an outage releases them, so N members send what one would.
 *
 * <p>With a {@code tenant_send_rate} (a pyrogate extension), each attempt is first charged to its
 * tenant's {@link SendBudget} and held until the budget lets it go ({@link SendPacer}), so a tenant
 * is sent no more than Pyroscope's ingestion rate limit admits; in cluster mode the budget is the
 * cluster's.
 */
public final class EndpointVerticle extends VerticleBase implements EndpointStatus {
  static final long WINDOW_BYTES = 16L * 1024 * 1024;
  public static final int WINDOW_RECORDS = 256;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String writeLabel;
  private final RecordPreparer preparer;
  private final Metrics.EndpointMetrics metrics;
  private final Endpoint endpoint;
  private final String topic;
  private final Map<String, Object> consumerConfig;
  private final DeadLetters deadLetters;
  private final RetryPolicy retryPolicy;
  private final EndpointClients.Settings settings;
  private final EndpointHealth health;
  private final DeadLetterTally deadLetterReasons = new DeadLetterTally();
  private final ComponentLog log;

  private Batcher batcher;
  private SendQueue queue;
  private volatile ConsumerWindow window;
  private EndpointSender sender;
  private boolean stopping;
  private SharedBackOff sharedBackOff = SharedBackOff.NONE;
  private SendBudget sendBudget;
  private SendPacer pacer;
  private volatile long heldUntilMillis;

  public EndpointVerticle(
      WriteComponent write,
      Endpoint endpoint,
      String topic,
      Map<String, Object> consumerConfig,
      Producers producers,
      String deadLetterTopic,
      Metrics.EndpointMetrics metrics) {
    this(
        write,
        endpoint,
        topic,
        consumerConfig,
        producers,
        deadLetterTopic,
        metrics,
        EndpointClients.Settings.system());
  }

  /**
   * @param settings the environment, clock and TLS file check interval; injectable for tests
   */
  public EndpointVerticle(
      WriteComponent write,
      Endpoint endpoint,
      String topic,
      Map<String, Object> consumerConfig,
      Producers producers,
      String deadLetterTopic,
      Metrics.EndpointMetrics metrics,
      EndpointClients.Settings settings) {
    this.metrics = metrics;
    this.settings = settings;
    this.writeLabel = write.label();
    this.log =
        ComponentLog.of(EndpointVerticle.class, "pyroscope.write." + writeLabel)
            .endpoint(endpoint.name());
    this.preparer = new RecordPreparer(write.externalLabels());
    this.endpoint = endpoint;
    this.topic = topic;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.deadLetters = new DeadLetters(producers, deadLetterTopic);
    this.retryPolicy = RetryPolicy.of(endpoint, () -> ThreadLocalRandom.current().nextDouble());
    this.health =
        new EndpointHealth(retryPolicy, settings.monotonicMillis(), settings.clockMillis());
    this.sendBudget = SendBudget.local(endpoint.tenantSendRate());
    publishHealth();
  }

  /** The endpoint's state now, for status pages; safe to read from any thread. */
  @Override
  public EndpointHealth.Snapshot health() {
    return health.snapshot();
  }

  @Override
  public boolean paused() {
    ConsumerWindow w = window;
    return w != null && w.paused();
  }

  @Override
  public List<DeadLetterTally.Reason> deadLetterReasons(int n) {
    return deadLetterReasons.top(n);
  }

  @Override
  public long heldUntilMillis() {
    long until = heldUntilMillis;
    return until > settings.clockMillis().getAsLong() ? until : 0;
  }

  @Override
  public List<Integer> partitions() {
    ConsumerWindow w = window;
    return w == null ? List.of() : w.partitions();
  }

  /**
   * Shares this endpoint's back-off with the other members of a cluster; call before deploying.
   * Without it, the endpoint backs off on its own.
   */
  public EndpointVerticle sharing(SharedBackOff backOff) {
    this.sharedBackOff = backOff;
    return this;
  }

  /**
   * Charges this endpoint's requests to {@code budget}, in cluster mode the one every member
   * shares; call before deploying. Without it, an endpoint with a {@code tenant_send_rate} has a
   * budget of its own.
   */
  public EndpointVerticle budgetedBy(SendBudget budget) {
    this.sendBudget = budget;
    return this;
  }

  @Override
  public Future<?> start() {
    batcher =
        new Batcher(
            vertx, Batcher.BATCH_BYTES, Batcher.BATCH_COST, Batcher.BATCH_LINGER_MS, this::attempt);
    queue =
        new SendQueue(
            vertx,
            health,
            settings.monotonicMillis(),
            EndpointClients.MAX_CONNECTIONS,
            this::transmit);
    pacer =
        new SendPacer(
            vertx,
            sendBudget,
            EndpointHeaders.setsTenant(endpoint),
            metrics.sendBudgetWaitSeconds(),
            metrics.sendBudgetBytes(),
            queue::offer);
    return sharedBackOff
        .listen(vertx, this::holdFor)
        .compose(v -> EndpointSender.start(vertx, describe(), endpoint, settings, () -> stopping))
        .compose(
            started -> {
              sender = started;
              return subscribe(sender.proxy());
            });
  }

  private Future<?> subscribe(ProxyOptions proxy) {
    window =
        new ConsumerWindow(
            vertx,
            consumerConfig,
            List.of(topic),
            new ConsumerWindow.Limits(WINDOW_BYTES, WINDOW_RECORDS, STOP_GRACE),
            new ConsumerWindow.Gauges(metrics.windowBytes(), metrics.windowRecords()),
            describe(),
            log);
    window.onRevoked(
        () -> {
          queue.dropReleased();
          pacer.dropReleased();
        });
    window.meteredBy(metrics.kafkaClient());
    return window
        .start(this::accept, (d, e) -> deadLetter(Send.of(d, null), d, "malformed record: " + e, 0))
        .onSuccess(
            v ->
                log.info(
                    "{}: delivering from {}{}",
                    describe(),
                    topic,
                    proxy == null ? "" : " through " + ProxyChoice.describe(proxy)));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    for (Send s : queue.clear()) {
      s.deliveries.forEach(window::giveBack);
    }
    for (Send s : pacer.clear()) {
      s.deliveries.forEach(window::giveBack);
    }
    for (Send batch : batcher.discardOpen()) {
      batch.deliveries.forEach(window::giveBack);
    }
    return window
        .stop()
        .eventually(
            () -> {
              sender.close();
              return Future.succeededFuture();
            });
  }

  private void accept(ConsumerWindow.Held d) {
    ConsumerRecord<String, byte[]> record = d.record();
    if (replayedForAnotherEndpoint(record)) {
      window.done(d); // a dead letter of another endpoint, replayed for that one only
      return;
    }
    ProfileRecord profile;
    try {
      profile = preparer.prepare(RecordCodec.fromKafka(record));
    } catch (RecordFormatException e) {
      deadLetter(Send.of(d, null), d, "malformed record: " + e.getMessage(), 0);
      return;
    }
    batcher.add(d, profile);
  }

  private boolean replayedForAnotherEndpoint(ConsumerRecord<String, byte[]> record) {
    String addressee = KafkaHeaders.lastString(record.headers(), KafkaHeaders.REPLAY_ENDPOINT);
    return addressee != null && !endpoint.name().equals(addressee);
  }

  /**
   * Queues a request to go out as soon as it may: when its tenant's send budget lets it ({@link
   * SendPacer}), then ({@link SendQueue}) when a connection is free, in an outage when its turn as
   * the probe comes.
   */
  private void attempt(Send s) {
    if (!s.dropReleased()) {
      return;
    }
    if (stopping) {
      s.deliveries.forEach(window::giveBack);
      return;
    }
    pacer.offer(s);
  }

  /** One attempt of a request, and what follows from its outcome. */
  private void transmit(Send s) {
    s.attempts++;
    s.lastAttemptMillis = settings.clockMillis().getAsLong();
    s.sentAt = settings.monotonicMillis().getAsLong();
    if (s.firstAttemptMillis == 0) {
      s.firstAttemptMillis = s.lastAttemptMillis;
    }
    long sentAt = System.nanoTime();
    sender
        .send(s)
        .onComplete(
            ar -> {
              queue.completed(s);
              // The sender answers every attempt; should it fail instead, the attempt counts as
              // unanswered and is retried
              // rather than holding its in-flight slot forever. Only the exception's class: its
              // message may hold a secret.
              onOutcome(
                  s,
                  sentAt,
                  ar.succeeded()
                      ? ar.result()
                      : new EndpointSender.Outcome(
                          false,
                          new RetryPolicy.Failure(
                              0,
                              null,
                              null,
                              "sending failed: " + ar.cause().getClass().getName())));
              queue.pump();
            });
  }

  private void onOutcome(Send s, long sentAt, EndpointSender.Outcome outcome) {
    if (outcome.answered()) {
      (s.head().kind() == ProfileRecord.Kind.PUSH ? metrics.pushLatency() : metrics.ingestLatency())
          .record((System.nanoTime() - sentAt) / 1e9);
    }
    if (outcome.delivered()) {
      metrics.sentBytes().increment(s.bytes);
      metrics.sentProfiles().increment(s.deliveries.size());
    }
    if (stopping && !outcome.delivered()) {
      s.deliveries.forEach(window::giveBack);
      return;
    }
    if (outcome.delivered()) {
      long outageSince = health.snapshot().sinceMillis();
      if (health.delivered(s.sentAt)) {
        log.info(
            "{}: delivering again after {} s in outage",
            describe(),
            (settings.clockMillis().getAsLong() - outageSince) / 1000);
        sharedBackOff.announce(Duration.ZERO, "delivering again");
      }
      publishHealth();
      s.deliveries.forEach(window::done);
      return;
    }
    RetryPolicy.Failure f = outcome.failure();
    if (!retryPolicy.retryable(f)) {
      if (health.refused(f, s.sentAt)) {
        log.info("{}: answering again after an outage", describe());
        sharedBackOff.announce(Duration.ZERO, "answering again");
      }
      publishHealth();
      if (s.deliveries.size() > 1) {
        split(s, f.reason());
      } else {
        s.deliveries.forEach(d -> deadLetter(s, d, f.reason(), f.status()));
      }
      return;
    }
    retry(s, f);
  }

  /**
   * A failure worth retrying. In an outage the request waits for its turn as the probe instead of a
   * timer of its own, and spends nothing. Otherwise it spends the record's budget only if it is the
   * request's own ({@link EndpointHealth#ownFailure}: the endpoint answered a request sent after
   * it), known now or at the request's next failure, when the answers to the requests sent during
   * its flight are in. A batch out of budget is sent again record by record, so only a failing
   * record reaches the dead-letter topic.
   */
  private void retry(Send s, RetryPolicy.Failure f) {
    long probeBefore = health.nextAttemptMillis();
    if (health.failed(f, s.sentAt)) {
      log.warn(
          "{}: endpoint in outage, probing it until it answers (no profile is dead-lettered meanwhile): {}",
          describe(),
          f.reason());
    }
    publishHealth();
    shareBackOff(f, probeBefore);
    if (health.inOutage()) {
      s.unchargedSentAt = Long.MIN_VALUE;
      metrics.retries().increment();
      queue.waitForProbe(s);
      return;
    }
    if (s.unchargedSentAt != Long.MIN_VALUE && health.ownFailure(s.unchargedSentAt)) {
      s.spent++; // the previous failure: the endpoint has answered a request sent after it since
    }
    s.unchargedSentAt = Long.MIN_VALUE;
    if (health.ownFailure(s.sentAt)) {
      s.spent++;
    } else {
      s.unchargedSentAt = s.sentAt;
    }
    Instant now = Instant.ofEpochMilli(settings.clockMillis().getAsLong());
    RetryPolicy.Decision decision = retryPolicy.decide(f, s.spent, now);
    if (!decision.retry()) {
      if (s.deliveries.size() > 1) {
        split(s, decision.reason());
      } else {
        s.deliveries.forEach(d -> deadLetter(s, d, decision.reason(), f.status()));
      }
      return;
    }
    metrics.retries().increment();
    health.retryAt(settings.monotonicMillis().getAsLong() + decision.delay().toMillis());
    publishHealth();
    window.retryLater(s.deliveries, decision.delay(), () -> attempt(s));
  }

  /**
   * Announces the wait a failure asks for to the other members: a Retry-After's (capped at {@code
   * max_backoff_period}), or in an outage the wait until the next probe when this failure set it.
   */
  private void shareBackOff(RetryPolicy.Failure f, long probeBefore) {
    long now = settings.monotonicMillis().getAsLong();
    Duration asked =
        RetryPolicy.retryAfter(
            f.retryAfter(), Instant.ofEpochMilli(settings.clockMillis().getAsLong()));
    if (asked != null && !asked.isZero()) {
      Duration wait = asked.compareTo(endpoint.maxBackoff()) > 0 ? endpoint.maxBackoff() : asked;
      sharedBackOff.announce(
          wait, (f.status() == 0 ? "no answer" : "HTTP " + f.status()) + " with Retry-After");
    } else if (health.inOutage() && health.nextAttemptMillis() != probeBefore) {
      sharedBackOff.announce(
          Duration.ofMillis(Math.max(0, health.nextAttemptMillis() - now)), "endpoint in outage");
    }
  }

  /** Another member (or this one) announced a wait: no request goes until it is over. */
  private void holdFor(Duration wait) {
    if (!stopping) {
      queue.holdFor(wait.toMillis());
      long held = queue.heldUntil();
      heldUntilMillis =
          held == 0
              ? 0
              : settings.clockMillis().getAsLong()
                  + (held - settings.monotonicMillis().getAsLong());
    }
  }

  private void publishHealth() {
    EndpointHealth.Snapshot h = health.snapshot();
    metrics.up().set(h.state() == EndpointHealth.State.OUTAGE ? 0 : 1);
    metrics.states().forEach((state, gauge) -> gauge.set(state.equals(h.state().label()) ? 1 : 0));
    metrics.nextAttemptSeconds().set(h.nextAttemptMillis() / 1000);
    metrics.lastSuccessSeconds().set(h.lastSuccessMillis() / 1000);
  }

  /**
   * A batch the endpoint refused for good, or that ran out of retries: one of its records may be
   * the cause, so each is sent again on its own (with a budget of its own) and only the failing
   * ones reach the dead-letter topic.
   */
  private void split(Send batch, String reason) {
    log.info(
        "{}: batch of {} records failed ({}); sending them one by one",
        describe(),
        batch.deliveries.size(),
        reason);
    batch.singles().forEach(this::attempt);
  }

  private void deadLetter(Send s, ConsumerWindow.Held d, String reason, int status) {
    if (d.released()) {
      return; // its partition was revoked: the new owner decides
    }
    if (s.attempts == 0) {
      s.firstAttemptMillis = s.lastAttemptMillis = settings.clockMillis().getAsLong();
    }
    deadLetters
        .write(
            d.record(),
            endpoint.name(),
            reason,
            status,
            s.attempts,
            s.firstAttemptMillis,
            s.lastAttemptMillis)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                metrics.droppedBytes().increment(d.size());
                metrics.droppedProfiles().increment();
                deadLetterReasons.record(reason);
                log.warn(
                    "{}: record {} moved to the dead-letter topic: {}",
                    describe(),
                    d.describe(),
                    reason);
                window.done(d);
              } else if (stopping) {
                window.giveBack(d);
              } else {
                log.warn(
                    "{}: cannot write to the dead-letter topic, will retry: {}",
                    describe(),
                    ar.cause().getMessage());
                window.retryLater(
                    List.of(d),
                    retryPolicy.backoff(s.attempts),
                    () -> deadLetter(s, d, reason, status));
              }
            });
  }

  private String describe() {
    return "pyroscope.write \""
        + writeLabel
        + "\" endpoint \""
        + endpoint.name()
        + "\" ("
        + Redact.url(endpoint.url())
        + ")";
  }
}
