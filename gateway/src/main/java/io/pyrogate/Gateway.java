package io.pyrogate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.config.ReceiveKafkaComponent;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.delivery.EndpointVerticle;
import io.pyrogate.ingest.HttpIngestVerticle;
import io.pyrogate.ingest.InflightBytes;
import io.pyrogate.ingest.KafkaSourceVerticle;
import io.pyrogate.kafka.EmbeddedKafka;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.TopicReceiver;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Health;
import io.pyrogate.ops.ManagementVerticle;
import io.pyrogate.record.ProfileReceiver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: starts Kafka (embedded or the user's), creates topics, and deploys one verticle per
 * role in dependency order — management, delivery, then ingest — and stops them in reverse.
 *
 * <p>{@link #start} and {@link #stop} block; call them from {@code main} or a test, never from an event loop.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long DEPLOY_TIMEOUT_S = 60;
  private static final long KAFKA_CHECK_INTERVAL_MS = 2_000;
  /** Bytes of request bodies waiting for Kafka's acknowledgement, over all ingest instances. */
  static final long INGEST_INFLIGHT_BYTES = 64L * 1024 * 1024;

  /** Where and how to run; the command-line flags of {@code pyrogate run}. */
  public record Options(Path storagePath, String managementHost, int managementPort, int ingestInstances) {
    public static Options defaults(Path storagePath) {
      return new Options(storagePath, "127.0.0.1", 12345, Runtime.getRuntime().availableProcessors());
    }
  }

  private final Vertx vertx;
  private final Health health = new Health();
  private final List<String> ingestDeployments = new ArrayList<>();
  private final List<String> deliveryDeployments = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private EmbeddedKafka embedded;
  private Admin admin;
  private KafkaWriteStream<String, byte[]> producer;
  private ManagementVerticle management;
  private long kafkaCheckTimer = -1;
  private final AtomicBoolean kafkaCheckRunning = new AtomicBoolean();

  private Gateway() {
    this.vertx = Vertx.vertx();
  }

  /** Starts everything; on failure stops what was started and throws with the reason. */
  public static Gateway start(GatewayConfig config, Options options) {
    Gateway gateway = new Gateway();
    try {
      gateway.startUp(config, options);
      return gateway;
    } catch (RuntimeException e) {
      gateway.stop();
      throw e;
    }
  }

  private void startUp(GatewayConfig config, Options options) {
    long began = System.nanoTime();
    management = new ManagementVerticle(options.managementHost(), options.managementPort(), health);
    await(vertx.deployVerticle(management));

    KafkaSettings kafka = config.kafka();
    if (kafka.embedded()) {
      embedded = EmbeddedKafka.start(options.storagePath().resolve("kafka"), kafka.embeddedHost(), kafka.embeddedPort());
      kafka = kafka.withBootstrapServers(embedded.bootstrapServers());
    }
    KafkaClients clients = new KafkaClients(kafka);
    admin = Admin.create(clients.admin());
    Topics topics = new Topics(admin, kafka);
    List<String> topicNames = new ArrayList<>();
    for (WriteComponent w : config.writes()) {
      topicNames.add(Topics.writeTopic(kafka, w.label()));
      topicNames.add(Topics.deadLetterTopic(kafka, w.label()));
    }
    for (ReceiveKafkaComponent k : config.kafkaSources()) {
      topicNames.add(Topics.sourceDeadLetterTopic(kafka, k.label()));
    }
    topics.ensureTopics(topicNames);
    producer = KafkaWriteStream.create(vertx, new KafkaProducer<String, byte[]>(clients.producer()));
    // Each send's own future carries its failure to the caller (ingest answers 503, delivery retries).
    producer.exceptionHandler(e -> LOG.debug("Kafka producer: {}", e.getMessage()));

    for (WriteComponent w : config.writes()) {
      String topic = Topics.writeTopic(kafka, w.label());
      for (Endpoint e : w.endpoints()) {
        String group = Topics.endpointGroup(kafka, w.label(), e.name());
        topics.initGroupOffsets(group, topic);
        deliveryDeployments.add(await(vertx.deployVerticle(new EndpointVerticle(w, e, topic,
            clients.consumer(group), producer, Topics.deadLetterTopic(kafka, w.label())))));
      }
    }

    Map<String, ProfileReceiver> receivers = new HashMap<>();
    for (WriteComponent w : config.writes()) {
      receivers.put(w.label(), new TopicReceiver(w.label(), Topics.writeTopic(kafka, w.label()), producer));
    }
    InflightBytes inflight = new InflightBytes(INGEST_INFLIGHT_BYTES);
    for (ReceiveHttpComponent r : config.receivers()) {
      List<ProfileReceiver> targets = r.forwardTo().stream().map(receivers::get).toList();
      AtomicInteger connections = new AtomicInteger();
      ingestDeployments.add(await(vertx.deployVerticle(() -> new HttpIngestVerticle(r, targets, inflight, connections),
          new DeploymentOptions().setInstances(options.ingestInstances()))));
      LOG.info("pyroscope.receive_http \"{}\" listening on {}:{}", r.label(), r.server().listenAddress(), r.server().listenPort());
    }

    for (ReceiveKafkaComponent k : config.kafkaSources()) {
      List<ProfileReceiver> targets = k.forwardTo().stream().map(receivers::get).toList();
      ingestDeployments.add(await(vertx.deployVerticle(new KafkaSourceVerticle(k,
          new KafkaClients(k.asKafkaSettings()).consumer(k.groupId()), targets, producer,
          Topics.sourceDeadLetterTopic(kafka, k.label())))));
    }

    checkKafka();
    kafkaCheckTimer = vertx.setPeriodic(KAFKA_CHECK_INTERVAL_MS, id -> checkKafka());
    health.started();
    LOG.info("pyrogate {} started in {} ms: {}", Version.get(), (System.nanoTime() - began) / 1_000_000, config.summary());
  }

  /** The management port actually bound. */
  public int managementPort() {
    return management.actualPort();
  }

  public Health health() {
    return health;
  }

  /** The Kafka bootstrap servers in use: the embedded broker's, or the configured ones. */
  public String bootstrapServers() {
    return embedded != null ? embedded.bootstrapServers() : null;
  }

  /**
   * Stops in reverse order of start: ingest stops accepting, deliveries settle and commit what is done, then
   * the producer flushes and Kafka stops. Idempotent.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    health.stopping();
    if (kafkaCheckTimer >= 0) {
      vertx.cancelTimer(kafkaCheckTimer);
    }
    undeployAll(ingestDeployments);
    undeployAll(deliveryDeployments);
    if (producer != null) {
      quietly("close producer", () -> await(producer.close(10_000)));
    }
    if (admin != null) {
      quietly("close admin", () -> admin.close(java.time.Duration.ofSeconds(5)));
    }
    quietly("close Vert.x", () -> await(vertx.close()));
    if (embedded != null) {
      quietly("stop embedded Kafka", embedded::close);
    }
    LOG.info("pyrogate stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private void checkKafka() {
    if (!kafkaCheckRunning.compareAndSet(false, true)) {
      return;
    }
    vertx.executeBlocking(() -> admin.describeCluster().nodes().get(KAFKA_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS), false)
        .onComplete(ar -> {
          kafkaCheckRunning.set(false);
          String fatal = EmbeddedKafka.fatalError();
          if (fatal != null) {
            health.kafkaUnreachable(fatal);
          } else if (ar.succeeded() && !ar.result().isEmpty()) {
            health.kafkaReachable();
          } else {
            health.kafkaUnreachable("Kafka unreachable: " + (ar.failed() ? ar.cause().getMessage() : "no brokers"));
          }
        });
  }

  private void undeployAll(List<String> ids) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(vertx.undeploy(id).onFailure(e -> LOG.warn("undeploy failed: {}", e.getMessage())));
    }
    quietly("undeploy", () -> await(Future.join(all)));
    ids.clear();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + DEPLOY_TIMEOUT_S + " s", e);
    }
  }

  private static void quietly(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("could not {} cleanly: {}", what, e.getMessage());
    }
  }
}
