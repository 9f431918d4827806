package io.pyrogate.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.Redact;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.DeadLetterReplay;
import io.pyrogate.kafka.DeadLetters;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.OffsetCommitter;
import io.pyrogate.ops.Metrics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.pyroscope.ExternalLabels;
import io.pyrogate.pyroscope.Gzip;
import io.pyrogate.pyroscope.LabelSet;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.record.RecordFormatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ProxyOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint of a {@code pyroscope.write} component from the component's topic, in the
 * endpoint's own consumer group, so it progresses independently of every other endpoint.
 *
 * <p>Records are sent concurrently within a window bounded in bytes and count. A record is done when the
 * endpoint answered 2xx or when it was written to the dead-letter topic; only the done prefix of each
 * partition is committed. While any record is backing off, or the window is full, the consumer is paused:
 * lag builds up in Kafka, not in heap.
 */
public final class EndpointVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointVerticle.class);
  static final String PUSH_PATH = "/push.v1.PusherService/Push";
  static final long WINDOW_BYTES = 16L * 1024 * 1024;
  static final int WINDOW_RECORDS = 256;
  private static final long STOP_GRACE_MS = 5_000;
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
  private EndpointHeaders headers;
  private OAuth2Tokens tokens;

  private OffsetCommitter offsets;
  private final Map<Long, Delivery> retryTimers = new HashMap<>();
  private KafkaReadStream<String, byte[]> consumer;
  private ReloadingWebClient client;
  private long windowBytes;
  private int windowRecords;
  private int retrying;
  private boolean paused;
  private boolean stopping;
  private boolean failing;
  private Promise<Void> drained;

  /** One record on its way to the endpoint. */
  private static final class Delivery {
    final ConsumerRecord<String, byte[]> record;
    final TopicPartition partition;
    final long size;
    int attempts;
    long firstAttemptMillis;
    long lastAttemptMillis;
    boolean retrying;

    Delivery(ConsumerRecord<String, byte[]> record) {
      this.record = record;
      this.partition = new TopicPartition(record.topic(), record.partition());
      this.size = record.serializedValueSize() + Math.max(0, record.serializedKeySize());
    }
  }

  public EndpointVerticle(WriteComponent write, Endpoint endpoint, String topic, Map<String, Object> consumerConfig,
      KafkaWriteStream<String, byte[]> producer, String deadLetterTopic, Metrics.EndpointMetrics metrics) {
    this(write, endpoint, topic, consumerConfig, producer, deadLetterTopic, metrics, EndpointClients.Settings.system());
  }

  /** @param settings the environment, clock and TLS file check interval; injectable for tests */
  public EndpointVerticle(WriteComponent write, Endpoint endpoint, String topic, Map<String, Object> consumerConfig,
      KafkaWriteStream<String, byte[]> producer, String deadLetterTopic, Metrics.EndpointMetrics metrics,
      EndpointClients.Settings settings) {
    this.metrics = metrics;
    this.settings = settings;
    this.writeLabel = write.label();
    this.externalLabels = new ExternalLabels(write.externalLabels());
    this.endpoint = endpoint;
    this.topic = topic;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.deadLetters = new DeadLetters(producer, deadLetterTopic);
    String url = endpoint.url().toString();
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.retryPolicy = RetryPolicy.of(endpoint, () -> ThreadLocalRandom.current().nextDouble());
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
    consumer = KafkaReadStream.create(vertx, new HashMap<>(consumerConfig), String.class, byte[].class);
    consumer.exceptionHandler(e -> LOG.warn("{}: Kafka consumer error: {}", describe(), e.getMessage()));
    offsets = new OffsetCommitter(consumer, describe());
    consumer.partitionsRevokedHandler(offsets::revoke);
    consumer.handler(this::accept);
    return consumer.subscribe(java.util.Set.of(topic)).onSuccess(v -> LOG.info("{}: delivering from {}{}", describe(), topic,
        proxy == null ? "" : " through " + ProxyChoice.describe(proxy)));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    updateFlow();
    retryTimers.forEach((id, d) -> {
      vertx.cancelTimer(id);
      abandon(d);
    });
    retryTimers.clear();
    drained = Promise.promise();
    if (windowRecords == 0) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(STOP_GRACE_MS, t -> drained.tryComplete());
    return drained.future()
        .compose(v -> {
          vertx.cancelTimer(timer);
          return offsets.commitNow();
        })
        .eventually(() -> consumer.close())
        .eventually(() -> {
          client.close();
          if (tokens != null) {
            tokens.close();
          }
          return Future.succeededFuture();
        });
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    if (stopping) {
      return; // not tracked, so never committed: the next owner delivers it
    }
    Delivery d = new Delivery(record);
    offsets.received(d.partition, record.offset());
    windowBytes += d.size;
    windowRecords++;
    metrics.windowBytes().addAndGet(d.size);
    metrics.windowRecords().incrementAndGet();
    updateFlow();
    if (replayedForAnotherEndpoint(record)) {
      finished(d); // a dead letter of another endpoint, replayed for that one only
      return;
    }
    ProfileRecord profile;
    try {
      profile = prepare(RecordCodec.fromKafka(record));
    } catch (RecordFormatException e) {
      deadLetter(d, "malformed record: " + e.getMessage(), 0);
      return;
    }
    attempt(d, profile);
  }

  private boolean replayedForAnotherEndpoint(ConsumerRecord<String, byte[]> record) {
    var header = record.headers().lastHeader(DeadLetterReplay.REPLAY_ENDPOINT);
    return header != null && !endpoint.name().equals(new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
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
      request = PushRequest.parseFrom(plain);
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

  private void attempt(Delivery d, ProfileRecord profile) {
    if (stopping) {
      abandon(d);
      return;
    }
    d.attempts++;
    d.lastAttemptMillis = System.currentTimeMillis();
    if (d.firstAttemptMillis == 0) {
      d.firstAttemptMillis = d.lastAttemptMillis;
    }
    long sentAt = System.nanoTime();
    send(profile, headers.renewable()).onComplete(ar -> {
      boolean delivered = ar.succeeded() && ar.result().statusCode() / 100 == 2;
      if (ar.succeeded()) {
        (profile.kind() == ProfileRecord.Kind.PUSH ? metrics.pushLatency() : metrics.ingestLatency())
            .record((System.nanoTime() - sentAt) / 1e9);
      }
      if (delivered) {
        metrics.sentBytes().increment(profile.payload().length);
        metrics.sentProfiles().increment();
      } else {
        client.recheck();
      }
      if (stopping && !delivered) {
        abandon(d);
        return;
      }
      if (delivered) {
        if (failing) {
          failing = false;
          LOG.info("{}: delivering again", describe());
        }
        finished(d);
        return;
      }
      RetryPolicy.Failure f = ar.succeeded() ? failure(ar.result()) : new RetryPolicy.Failure(0, null, null, noAnswer(ar.cause()));
      if (!failing) {
        failing = true;
        LOG.warn("{}: delivery failing: {}", describe(), f.reason());
      }
      RetryPolicy.Decision decision = retryPolicy.decide(f, d.attempts, Instant.now());
      if (decision.retry()) {
        metrics.retries().increment();
        retryLater(d, decision.delay(), () -> attempt(d, profile));
      } else {
        deadLetter(d, decision.reason(), f.status());
      }
    });
  }

  /**
   * One attempt. A 401 with an oauth2 token renews the token and sends once more at once: the token may have
   * been revoked or expired early, which the endpoint knows before we do.
   */
  private Future<HttpResponse<Buffer>> send(ProfileRecord profile, boolean renewOn401) {
    return request(profile).compose(req -> req.sendBuffer(Buffer.buffer(profile.payload())).compose(response -> {
      if (renewOn401 && response.statusCode() == 401 && !stopping) {
        headers.unauthorized(req.headers());
        return send(profile, false);
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
      req = web.postAbs(baseUrl + "/ingest" + (profile.query() == null ? "" : "?" + profile.query()));
    } else {
      req = web.postAbs(baseUrl + PUSH_PATH).putHeader("Connect-Protocol-Version", "1");
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
    return new RetryPolicy.Failure(status, connectCode(response), response.getHeader("Retry-After"), reason);
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

  private static String connectCode(HttpResponse<Buffer> response) {
    String type = response.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/json") || response.body() == null) {
      return null;
    }
    try {
      Object code = response.bodyAsJsonObject().getValue("code");
      return code instanceof String s ? s : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private void retryLater(Delivery d, Duration wait, Runnable again) {
    if (!d.retrying) {
      d.retrying = true;
      retrying++;
      updateFlow();
    }
    long delay = Math.max(1, wait.toMillis());
    long[] id = new long[1];
    id[0] = vertx.setTimer(delay, t -> {
      retryTimers.remove(id[0]);
      again.run();
    });
    retryTimers.put(id[0], d);
  }

  private void deadLetter(Delivery d, String reason, int status) {
    if (d.attempts == 0) {
      d.firstAttemptMillis = d.lastAttemptMillis = System.currentTimeMillis();
    }
    deadLetters.write(d.record, endpoint.name(), reason, status, d.attempts, d.firstAttemptMillis, d.lastAttemptMillis)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            metrics.droppedBytes().increment(d.size);
            metrics.droppedProfiles().increment();
            LOG.warn("{}: record {}-{}@{} moved to the dead-letter topic: {}", describe(), d.record.topic(),
                d.record.partition(), d.record.offset(), reason);
            finished(d);
          } else if (stopping) {
            abandon(d);
          } else {
            LOG.warn("{}: cannot write to the dead-letter topic, will retry: {}", describe(), ar.cause().getMessage());
            retryLater(d, retryPolicy.backoff(d.attempts), () -> deadLetter(d, reason, status));
          }
        });
  }

  private void finished(Delivery d) {
    offsets.done(d.partition, d.record.offset()); // before release: the last release lets stop() commit
    release(d);
  }

  /** Leaves the record uncommitted, for this group to deliver again after a restart or rebalance. */
  private void abandon(Delivery d) {
    release(d);
  }

  private void release(Delivery d) {
    windowBytes -= d.size;
    windowRecords--;
    metrics.windowBytes().addAndGet(-d.size);
    metrics.windowRecords().decrementAndGet();
    if (d.retrying) {
      d.retrying = false;
      retrying--;
    }
    updateFlow();
    if (stopping && windowRecords == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  private void updateFlow() {
    boolean pause = stopping || retrying > 0 || windowBytes >= WINDOW_BYTES || windowRecords >= WINDOW_RECORDS;
    if (pause && !paused) {
      paused = true;
      consumer.pause();
    } else if (!pause && paused) {
      paused = false;
      consumer.resume();
    }
  }

  private String describe() {
    return "pyroscope.write \"" + writeLabel + "\" endpoint \"" + endpoint.name() + "\" (" + Redact.url(endpoint.url()) + ")";
  }
}
