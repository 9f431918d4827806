package io.pyrogate.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.Redact;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.kafka.DeadLetters;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Producers;
import io.pyrogate.ops.Metrics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.pyroscope.ExternalLabels;
import io.pyrogate.pyroscope.Gzip;
import io.pyrogate.pyroscope.LabelSet;
import io.pyrogate.pyroscope.PushBatch;
import io.pyrogate.pyroscope.PushRequests;
import io.pyrogate.pyroscope.PyroscopeHttp;
import io.pyrogate.record.KafkaHeaders;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.record.RecordFormatException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ProxyOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint of a {@code pyroscope.write} component from the component's topic, in the
 * endpoint's own consumer group, so it progresses independently of every other endpoint.
 *
 * <p>Records are sent concurrently within a window bounded in bytes and count. Push records of one tenant are
 * batched into one PushRequest (up to {@link #BATCH_BYTES}, waiting at most {@link #BATCH_LINGER_MS} for more);
 * /ingest records and encoded push records go one by one. At most {@link EndpointClients#MAX_CONNECTIONS} requests are
 * in flight, the others wait their turn here and not in the HTTP client's pool. A request succeeds or fails as a whole. A record is done
 * when the endpoint answered 2xx to its request or when it was written to the dead-letter topic; only the done
 * prefix of each partition is committed. When the window is full the consumer's partitions are paused (it keeps
 * polling, so it stays in its group): lag builds up in Kafka, not in heap. The window, retry timers, commits and
 * drain-on-stop are the {@link ConsumerWindow}'s.
 *
 * <p>An endpoint that answers nothing is in outage ({@link EndpointHealth}), which is no record's failure: the
 * requests wait here and one at a time goes as a probe, the next after a backoff growing to
 * {@code max_backoff_period}, for as long as it takes. A record spends its {@code max_backoff_retries} only on a
 * failure while the endpoint answered other requests since its previous one, and goes to the dead-letter topic only
 * then, or when refused for good. Records keep coming into the window while some are retried, so a record the
 * endpoint fails on its own cannot pass for an outage: the other records show the endpoint serving.
 */
public final class EndpointVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointVerticle.class);
  static final long WINDOW_BYTES = 16L * 1024 * 1024;
  public static final int WINDOW_RECORDS = 256;
  /**
   * Largest batch of push records, in bytes of the serialized PushRequest (a record bigger than this goes alone).
   * 1 MiB holds dozens of typical SDK profiles (tens of KiB each), enough to save most of the per-request cost,
   * while a batch that fails costs little to retry and 16 batches still fit in the window.
   * Measured by BatchingBenchmark (bench/): about 15 % less CPU per profile than one per request; 4 MiB saves no more.
   */
  static final int BATCH_BYTES = 1024 * 1024;
  /**
   * Longest wait for more records to fill a batch that is not full. Profiles are uploaded every 10 s or more, so
   * 20 ms of extra latency is invisible, and it is long enough to gather what one Kafka poll hands over.
   */
  static final long BATCH_LINGER_MS = 20;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int MAX_ERROR_BODY = 512;

  private final String writeLabel;
  private final ExternalLabels externalLabels;
  private final Metrics.EndpointMetrics metrics;
  private final Endpoint endpoint;
  private final String topic;
  private final Map<String, Object> consumerConfig;
  private final DeadLetters deadLetters;
  private final String baseUrl;
  private final RetryPolicy retryPolicy;
  private final EndpointClients.Settings settings;
  private final EndpointHealth health;
  private EndpointHeaders headers;
  private OAuth2Tokens tokens;

  /** The open batch of each tenant ("" when single-tenant), waiting for more records or its linger. */
  private final Map<String, Send> batches = new HashMap<>();
  /**
   * Requests ready to go, in order, waiting for one of the {@link EndpointClients#MAX_CONNECTIONS} to be free, or in
   * an outage for their turn as the probe.
   */
  private final Deque<Send> ready = new ArrayDeque<>();
  private int inFlight;
  /** In an outage, the request on its way as the probe, else null. */
  private Send probe;
  /** In an outage, the timer of the next probe, else -1. */
  private long probeTimer = -1;
  /** In an outage, whether the next probe's time has come. */
  private boolean probeDue;
  private ConsumerWindow window;
  private ReloadingWebClient client;
  private boolean stopping;

  /**
   * One request and its attempts: a single record, or a batch of push records of one tenant sent as one
   * PushRequest. Its records are delivered, retried or dead-lettered together.
   */
  private static final class Send {
    final String tenant;
    final List<ConsumerWindow.Held> deliveries = new ArrayList<>(1);
    /** The prepared profile of each record, in order (what a refused batch resends one by one). */
    final List<ProfileRecord> parts = new ArrayList<>(1);
    long bytes;
    long lingerTimer = -1;
    int attempts;
    long firstAttemptMillis;
    long lastAttemptMillis;
    /** Failures that spent the retry budget: those while the endpoint answered other requests. */
    int spent;
    /** The last failure, or the first attempt before any: a failure counts if the endpoint answered since. */
    long sinceMillis;

    Send(String tenant) {
      this.tenant = tenant;
    }

    static Send of(ConsumerWindow.Held d, ProfileRecord profile) {
      Send s = new Send(profile == null ? null : profile.tenant());
      s.add(d, profile);
      return s;
    }

    void add(ConsumerWindow.Held d, ProfileRecord part) {
      deliveries.add(d);
      parts.add(part);
      bytes += part == null ? 0 : part.payload().length;
    }

    /** Forgets the records taken away (their partition was revoked); false when none is left to send. */
    boolean dropReleased() {
      for (int i = deliveries.size() - 1; i >= 0; i--) {
        if (deliveries.get(i).released()) {
          deliveries.remove(i);
          ProfileRecord part = parts.remove(i);
          bytes -= part == null ? 0 : part.payload().length;
        }
      }
      return !deliveries.isEmpty();
    }

    /** What decides the request: kind, tenant, content type and encoding, query. The same for every part. */
    ProfileRecord head() {
      return parts.get(0);
    }

    /** The request body: the one record's payload, or the batch's push requests as one (wrapped, not copied). */
    Buffer body() {
      List<byte[]> payloads = new ArrayList<>(parts.size());
      for (ProfileRecord part : parts) {
        payloads.add(part.payload());
      }
      return PushBatch.body(payloads);
    }
  }

  public EndpointVerticle(WriteComponent write, Endpoint endpoint, String topic, Map<String, Object> consumerConfig,
      Producers producer, String deadLetterTopic, Metrics.EndpointMetrics metrics) {
    this(write, endpoint, topic, consumerConfig, producer, deadLetterTopic, metrics, EndpointClients.Settings.system());
  }

  /** @param settings the environment, clock and TLS file check interval; injectable for tests */
  public EndpointVerticle(WriteComponent write, Endpoint endpoint, String topic, Map<String, Object> consumerConfig,
      Producers producer, String deadLetterTopic, Metrics.EndpointMetrics metrics,
      EndpointClients.Settings settings) {
    this.metrics = metrics;
    this.settings = settings;
    this.writeLabel = write.label();
    this.externalLabels = new ExternalLabels(write.externalLabels());
    this.endpoint = endpoint;
    this.topic = topic;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.deadLetters = new DeadLetters(producer, deadLetterTopic);
    String url = UrlUserInfo.withoutUserInfo(endpoint.url()); // the user info goes in Authorization (EndpointHeaders)
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.retryPolicy = RetryPolicy.of(endpoint, () -> ThreadLocalRandom.current().nextDouble());
    this.health = new EndpointHealth(retryPolicy, settings.clockMillis());
    publishHealth();
  }

  /** The endpoint's state now, for status pages; safe to read from any thread. */
  public EndpointHealth.Snapshot health() {
    return health.snapshot();
  }

  @Override
  public Future<?> start() {
    HttpClientConfig http = endpoint.http();
    ProxyOptions proxy;
    ProxyOptions tokenProxy;
    try {
      proxy = ProxyChoice.forTarget(http.proxy(), endpoint.url(), settings.environment());
      tokenProxy = http.oauth2() == null ? null
          : ProxyChoice.forTarget(http.oauth2().proxy(), http.oauth2().tokenUrl(), settings.environment());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(describe() + ": " + e.getMessage()));
    }
    Future<ReloadingWebClient> endpointClient =
        EndpointClients.forEndpoint(vertx, describe(), endpoint, proxy, settings.fileCheckInterval());
    Future<ReloadingWebClient> tokenClient = http.oauth2() == null ? Future.succeededFuture()
        : EndpointClients.forTokens(vertx, describe(), http.oauth2(), endpoint.remoteTimeout(), tokenProxy,
            settings.fileCheckInterval());
    return Future.all(endpointClient, tokenClient).compose(clients -> {
      client = endpointClient.result();
      if (tokenClient.result() != null) {
        tokens = new OAuth2Tokens(vertx, http.oauth2(), tokenClient.result(), endpoint.remoteTimeout(), settings.clockMillis());
      }
      headers = new EndpointHeaders(vertx, endpoint, tokens);
      return subscribe(proxy);
    });
  }

  private Future<?> subscribe(ProxyOptions proxy) {
    window = new ConsumerWindow(vertx, consumerConfig, List.of(topic),
        new ConsumerWindow.Limits(WINDOW_BYTES, WINDOW_RECORDS, STOP_GRACE),
        new ConsumerWindow.Gauges(metrics.windowBytes(), metrics.windowRecords()), describe());
    return window.start(this::accept).onSuccess(v -> LOG.info("{}: delivering from {}{}", describe(), topic,
        proxy == null ? "" : " through " + ProxyChoice.describe(proxy)));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(probeTimer);
    for (Send s : ready) {
      s.deliveries.forEach(window::giveBack);
    }
    ready.clear();
    for (Send batch : List.copyOf(batches.values())) {
      batches.remove(key(batch.tenant));
      vertx.cancelTimer(batch.lingerTimer);
      batch.deliveries.forEach(window::giveBack);
    }
    return window.stop()
        .eventually(() -> {
          client.close();
          if (tokens != null) {
            tokens.close();
          }
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
      profile = prepare(RecordCodec.fromKafka(record));
    } catch (RecordFormatException e) {
      deadLetter(Send.of(d, null), d, "malformed record: " + e.getMessage(), 0);
      return;
    }
    if (profile.kind() == ProfileRecord.Kind.PUSH && profile.contentEncoding() == null) {
      batch(d, profile);
    } else {
      attempt(Send.of(d, profile));
    }
  }

  /** Adds a plain push record to its tenant's batch, sending the batch when it is full. */
  private void batch(ConsumerWindow.Held d, ProfileRecord profile) {
    String key = key(profile.tenant());
    Send batch = batches.get(key);
    if (batch != null && batch.bytes + profile.payload().length > BATCH_BYTES) {
      send(batch);
      batch = null;
    }
    if (batch == null) {
      Send open = new Send(profile.tenant());
      open.lingerTimer = vertx.setTimer(BATCH_LINGER_MS, t -> {
        open.lingerTimer = -1;
        send(open);
      });
      batches.put(key, open);
      batch = open;
    }
    batch.add(d, profile);
    if (batch.bytes >= BATCH_BYTES) {
      send(batch);
    }
  }

  /** Closes a batch and sends it. */
  private void send(Send batch) {
    batches.remove(key(batch.tenant), batch);
    if (batch.lingerTimer >= 0) {
      vertx.cancelTimer(batch.lingerTimer);
      batch.lingerTimer = -1;
    }
    attempt(batch);
  }

  private static String key(String tenant) {
    return tenant == null ? "" : tenant;
  }

  private boolean replayedForAnotherEndpoint(ConsumerRecord<String, byte[]> record) {
    String addressee = KafkaHeaders.lastString(record.headers(), KafkaHeaders.REPLAY_ENDPOINT);
    return addressee != null && !endpoint.name().equals(addressee);
  }

  /**
   * Applies what the write component does to every profile: for push, reserved labels and external_labels on every
   * series; for /ingest, external_labels in the {@code name} parameter.
   */
  private ProfileRecord prepare(ProfileRecord profile) {
    if (profile.kind() != ProfileRecord.Kind.PUSH) {
      String query;
      try {
        query = externalLabels.applyToIngestQuery(profile.query());
      } catch (LabelSet.InvalidNameException e) {
        throw new RecordFormatException("cannot apply external_labels to the /ingest name: " + e.getMessage());
      }
      return query == profile.query() ? profile : new ProfileRecord(profile.kind(), profile.tenant(),
          profile.contentType(), profile.contentEncoding(), query, profile.receivedAtMillis(), profile.payload());
    }
    byte[] plain = profile.payload();
    if (profile.contentEncoding() != null) {
      if (!"gzip".equalsIgnoreCase(profile.contentEncoding())) {
        throw new RecordFormatException("unsupported content-encoding \"" + profile.contentEncoding() + "\"");
      }
      try {
        plain = Gzip.inflate(plain, KafkaDefaults.MAX_BODY_BYTES);
      } catch (IOException e) {
        throw new RecordFormatException("cannot inflate gzip value: " + e.getMessage());
      }
    }
    PushRequest request;
    try {
      request = PushRequests.parse(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new RecordFormatException("value is not a push.v1.PushRequest: " + e.getMessage());
    }
    PushRequest relabelled = externalLabels.apply(request);
    if (relabelled == request) {
      return profile;
    }
    return new ProfileRecord(profile.kind(), profile.tenant(), profile.contentType(), null, profile.query(),
        profile.receivedAtMillis(), relabelled.toByteArray());
  }

  /**
   * Queues a request to go out as soon as a connection is free: at most {@link EndpointClients#MAX_CONNECTIONS}
   * are in flight, so no request waits in the client's pool, where its timeout would run before it is sent. In an
   * outage it waits for its turn as the probe.
   */
  private void attempt(Send s) {
    if (!s.dropReleased()) {
      return;
    }
    if (stopping) {
      s.deliveries.forEach(window::giveBack);
      return;
    }
    ready.addLast(s);
    pump();
  }

  private void pump() {
    if (!health.inOutage() && (probeTimer >= 0 || probeDue)) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
      probeDue = false;
    }
    while (inFlight < EndpointClients.MAX_CONNECTIONS && !ready.isEmpty()) {
      if (health.inOutage()) {
        probeWhenDue();
        return;
      }
      Send next = nextReady();
      if (next != null) {
        transmit(next);
      }
    }
  }

  /** The first waiting request that still has records to send (a revocation may have taken them), or null. */
  private Send nextReady() {
    Send s;
    while ((s = ready.pollFirst()) != null && !s.dropReleased()) {
      // all its records went to their partitions' new owner
    }
    return s;
  }

  /**
   * In an outage, sends the request that waited longest as the probe once its time has come; one that fails goes
   * to the back, so a request the endpoint refuses on its own does not keep the others from showing it is back.
   */
  private void probeWhenDue() {
    if (probe != null) {
      return;
    }
    if (!probeDue) {
      if (probeTimer < 0) {
        long wait = Math.max(1, health.nextAttemptMillis() - settings.clockMillis().getAsLong());
        probeTimer = vertx.setTimer(wait, t -> {
          probeTimer = -1;
          probeDue = true;
          pump();
        });
      }
      return;
    }
    probeDue = false;
    probe = nextReady();
    if (probe != null) {
      transmit(probe);
    }
  }

  /** One attempt of a request, and what follows from its outcome. */
  private void transmit(Send s) {
    inFlight++;
    ProfileRecord profile = s.head();
    s.attempts++;
    s.lastAttemptMillis = settings.clockMillis().getAsLong();
    if (s.firstAttemptMillis == 0) {
      s.firstAttemptMillis = s.sinceMillis = s.lastAttemptMillis;
    }
    long sentAt = System.nanoTime();
    send(s, headers.renewable()).onComplete(ar -> {
      inFlight--;
      if (probe == s) {
        probe = null;
      }
      onOutcome(s, profile, sentAt, ar);
      pump();
    });
  }

  private void onOutcome(Send s, ProfileRecord profile, long sentAt, AsyncResult<HttpResponse<Buffer>> ar) {
    boolean delivered = ar.succeeded() && ar.result().statusCode() / 100 == 2;
    if (ar.succeeded()) {
      (profile.kind() == ProfileRecord.Kind.PUSH ? metrics.pushLatency() : metrics.ingestLatency())
          .record((System.nanoTime() - sentAt) / 1e9);
    }
    if (delivered) {
      metrics.sentBytes().increment(s.bytes);
      metrics.sentProfiles().increment(s.deliveries.size());
    } else {
      client.recheck();
    }
    if (stopping && !delivered) {
      s.deliveries.forEach(window::giveBack);
      return;
    }
    if (delivered) {
      long outageSince = health.snapshot().sinceMillis();
      if (health.delivered()) {
        LOG.info("{}: delivering again after {} s in outage", describe(),
            (settings.clockMillis().getAsLong() - outageSince) / 1000);
      }
      publishHealth();
      s.deliveries.forEach(window::done);
      return;
    }
    RetryPolicy.Failure f = headers.scrubber().scrub(
        ar.succeeded() ? failure(ar.result()) : new RetryPolicy.Failure(0, null, null, noAnswer(ar.cause())));
    if (!retryPolicy.retryable(f)) {
      if (health.refused(f)) {
        LOG.info("{}: answering again after an outage", describe());
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
   * A failure worth retrying. It spends the record's budget only if the endpoint answered other requests since the
   * record's previous failure; in an outage the request waits for its turn as the probe instead of a timer of its own.
   */
  private void retry(Send s, RetryPolicy.Failure f) {
    long now = settings.clockMillis().getAsLong();
    if (health.answeredSince(s.sinceMillis)) {
      s.spent++;
    }
    s.sinceMillis = now;
    if (health.failed(f, s.lastAttemptMillis)) {
      LOG.warn("{}: endpoint in outage, probing it until it answers (no profile is dead-lettered meanwhile): {}",
          describe(), f.reason());
    }
    publishHealth();
    RetryPolicy.Decision decision = retryPolicy.decide(f, s.spent, Instant.ofEpochMilli(now));
    if (!decision.retry()) {
      s.deliveries.forEach(d -> deadLetter(s, d, decision.reason(), f.status()));
      return;
    }
    metrics.retries().increment();
    if (health.inOutage()) {
      ready.addLast(s);
      return;
    }
    health.retryAt(now + decision.delay().toMillis());
    publishHealth();
    window.retryLater(s.deliveries, decision.delay(), () -> attempt(s));
  }

  private void publishHealth() {
    EndpointHealth.Snapshot h = health.snapshot();
    metrics.up().set(h.state() == EndpointHealth.State.OUTAGE ? 0 : 1);
    metrics.states().forEach((state, gauge) -> gauge.set(state.equals(h.state().label()) ? 1 : 0));
    metrics.nextAttemptSeconds().set(h.nextAttemptMillis() / 1000);
    metrics.lastSuccessSeconds().set(h.lastSuccessMillis() / 1000);
  }

  /**
   * A batch the endpoint refused for good: one of its records may be the cause, so each is sent again on its own
   * and only the refused ones reach the dead-letter topic.
   */
  private void split(Send batch, String reason) {
    LOG.info("{}: batch of {} records refused ({}); sending them one by one", describe(), batch.deliveries.size(), reason);
    for (int i = 0; i < batch.deliveries.size(); i++) {
      attempt(Send.of(batch.deliveries.get(i), batch.parts.get(i)));
    }
  }

  /**
   * One attempt. A 401 with an oauth2 token renews the token and sends once more at once: the token may have
   * been revoked or expired early, which the endpoint knows before we do.
   */
  private Future<HttpResponse<Buffer>> send(Send s, boolean renewOn401) {
    return request(s.head()).compose(req -> req.sendBuffer(s.body()).compose(response -> {
      if (renewOn401 && response.statusCode() == 401 && !stopping) {
        headers.unauthorized(req.headers());
        return send(s, false);
      }
      return Future.succeededFuture(response);
    }));
  }

  private Future<HttpRequest<Buffer>> request(ProfileRecord profile) {
    return client.get().compose(web -> request(web, profile));
  }

  private Future<HttpRequest<Buffer>> request(WebClient web, ProfileRecord profile) {
    HttpRequest<Buffer> req;
    if (profile.kind() == ProfileRecord.Kind.INGEST) {
      req = web.postAbs(baseUrl + PyroscopeHttp.INGEST_PATH + (profile.query() == null ? "" : "?" + profile.query()));
    } else {
      req = web.postAbs(baseUrl + PyroscopeHttp.PUSH_PATH)
          .putHeader(PyroscopeHttp.CONNECT_PROTOCOL_VERSION, PyroscopeHttp.CONNECT_VERSION);
    }
    req.putHeader("Content-Type", profile.contentType());
    if (profile.contentEncoding() != null) {
      req.putHeader("Content-Encoding", profile.contentEncoding());
    }
    req.timeout(endpoint.remoteTimeout().toMillis());
    return headers.applyTo(req.headers(), profile.tenant()).map(v -> req);
  }

  /** A non-2xx answer: its status, its Connect error code if the body is one, and what the server said. */
  private static RetryPolicy.Failure failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String body = response.bodyAsString();
    String reason = "HTTP " + status + (body == null || body.isBlank() ? ""
        : ": " + (body.length() > MAX_ERROR_BODY ? body.substring(0, MAX_ERROR_BODY) + "…" : body.strip()));
    return new RetryPolicy.Failure(status, PyroscopeHttp.connectCode(response.getHeader("Content-Type"), response.body()), response.getHeader("Retry-After"), reason);
  }

  /**
   * Why there was no answer, with the causes' messages: a TLS failure says "Failed to create SSL connection"
   * on top and what was wrong with the certificate underneath.
   */
  private static String noAnswer(Throwable e) {
    StringBuilder reason = new StringBuilder(e.toString());
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && cause != e && depth < 5; depth++, cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && reason.indexOf(message) < 0) {
        reason.append(": ").append(message);
      }
    }
    return reason.toString();
  }

  private void deadLetter(Send s, ConsumerWindow.Held d, String reason, int status) {
    if (d.released()) {
      return; // its partition was revoked: the new owner decides
    }
    if (s.attempts == 0) {
      s.firstAttemptMillis = s.lastAttemptMillis = settings.clockMillis().getAsLong();
    }
    deadLetters.write(d.record(), endpoint.name(), reason, status, s.attempts, s.firstAttemptMillis, s.lastAttemptMillis)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            metrics.droppedBytes().increment(d.size());
            metrics.droppedProfiles().increment();
            LOG.warn("{}: record {} moved to the dead-letter topic: {}", describe(), d.describe(), reason);
            window.done(d);
          } else if (stopping) {
            window.giveBack(d);
          } else {
            LOG.warn("{}: cannot write to the dead-letter topic, will retry: {}", describe(), ar.cause().getMessage());
            window.retryLater(List.of(d), retryPolicy.backoff(s.attempts), () -> deadLetter(s, d, reason, status));
          }
        });
  }

  private String describe() {
    return "pyroscope.write \"" + writeLabel + "\" endpoint \"" + endpoint.name() + "\" (" + Redact.url(endpoint.url()) + ")";
  }
}
