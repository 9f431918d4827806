package io.pyrogate.delivery;

import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.Producers;
import io.pyrogate.kafka.TopicReceiver;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Metrics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One {@link EndpointVerticle} on the shared test broker, deployed directly so a test can give it
 * {@link EndpointClients.Settings} (environment, clock, TLS file check interval) and host names of
 * its own (all on 127.0.0.1). Profiles are stored in the write topic as ingest stores them.
 */
final class EndpointHarness implements AutoCloseable {
  private final KafkaSettings kafka;
  private final Vertx vertx;
  private final Admin admin;
  private final Producers producers;
  private final TopicReceiver receiver;
  private final String deadLetterTopic;
  private final String deployment;
  private final Metrics metrics = new Metrics();
  private final EndpointVerticle verticle;

  /**
   * @param hostNames resolved to 127.0.0.1 by the verticle's Vert.x, e.g. {@code pyroscope.test}
   */
  EndpointHarness(Endpoint endpoint, EndpointClients.Settings settings, List<String> hostNames) {
    this(endpoint, settings, hostNames, SharedBackOff.NONE);
  }

  /**
   * @param backOff the endpoint's back-off as the members of a cluster share it
   */
  EndpointHarness(
      Endpoint endpoint,
      EndpointClients.Settings settings,
      List<String> hostNames,
      SharedBackOff backOff) {
    this(TestGateways.sharedKafka(), endpoint, settings, hostNames, backOff);
  }

  /**
   * @param kafka the broker and topic prefix: another harness's {@link #kafka()} takes over its
   *     endpoint's consumer group
   */
  EndpointHarness(
      KafkaSettings kafka,
      Endpoint endpoint,
      EndpointClients.Settings settings,
      List<String> hostNames,
      SharedBackOff backOff) {
    this.kafka = kafka;
    StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
    hostNames.forEach(h -> hosts.append("127.0.0.1 ").append(h).append('\n'));
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    new AddressResolverOptions().setHostsValue(Buffer.buffer(hosts.toString()))));
    KafkaClients clients = new KafkaClients(kafka);
    admin = Admin.create(clients.admin());
    String topic = Topics.writeTopic(kafka, "w");
    deadLetterTopic = Topics.deadLetterTopic(kafka, "w");
    Topics topics = new Topics(admin, kafka);
    topics.ensureTopics(List.of(topic, deadLetterTopic));
    String group = Topics.endpointGroup(kafka, "w", endpoint.name());
    topics.initGroupOffsets(group, topic, endpoint.startFrom());
    producers = new Producers(vertx, clients.producer(), 1);
    receiver = new TopicReceiver("w", topic, producers);
    verticle =
        new EndpointVerticle(
            new WriteComponent("w", List.of(endpoint), Map.of()),
            endpoint,
            topic,
            clients.consumer(group),
            producers,
            deadLetterTopic,
            metrics.endpoint("w", endpoint.url().toString()),
            settings);
    verticle.sharing(backOff);
    deployment = await(vertx.deployVerticle(verticle));
  }

  /**
   * An endpoint as a user writes it: {@code body} is the inside of an {@code endpoint} block;
   * {@code env} feeds {@code sys.env("NAME")}, handy for PEM values. Fails on any configuration
   * error.
   */
  static Endpoint endpoint(String body, Map<String, String> env) {
    String source = "pyroscope.write \"w\" {\n  endpoint {\n" + body + "\n  }\n}\n";
    return ConfigLoader.parse("test.alloy", source, env::get)
        .config()
        .writes()
        .get(0)
        .endpoints()
        .get(0);
  }

  /** Stores a profile in the write topic; returns once Kafka acknowledged it. */
  void store(PushRequest request) {
    store(null, request);
  }

  /**
   * Stores a profile of {@code tenant} (null: none); records of different tenants never share a
   * request.
   */
  void store(String tenant, PushRequest request) {
    await(
        receiver.append(
            ProfileRecord.push(tenant, request.toByteArray(), System.currentTimeMillis()),
            RecordCodec.key(tenant, "svc")));
  }

  /** Stores profiles of {@code tenant} all at once, so they reach the endpoint in one request. */
  void storeTogether(String tenant, List<PushRequest> requests) {
    await(
        Future.all(
            requests.stream()
                .map(
                    r ->
                        receiver.append(
                            ProfileRecord.push(tenant, r.toByteArray(), System.currentTimeMillis()),
                            RecordCodec.key(tenant, "svc")))
                .toList()));
  }

  /** The broker and topic prefix of this harness's topics and consumer group. */
  KafkaSettings kafka() {
    return kafka;
  }

  /** Every record of the dead-letter topic so far. */
  List<ConsumerRecord<String, byte[]>> allDeadLetters() {
    return TestKafka.handle().readAll(deadLetterTopic);
  }

  /** The endpoint's state now. */
  EndpointHealth.Snapshot health() {
    return verticle.health();
  }

  /** Until when the cluster holds the endpoint's requests (epoch ms), 0 when it does not. */
  long heldUntil() {
    return verticle.heldUntilMillis();
  }

  /** The Prometheus text of the endpoint's meters. */
  String metrics() {
    return metrics.scrape();
  }

  List<ConsumerRecord<String, byte[]>> deadLetters(int count) {
    return TestKafka.handle().read(deadLetterTopic, count);
  }

  @Override
  public void close() {
    try {
      await(vertx.undeploy(deployment));
      await(producers.close(5_000));
      await(vertx.close());
    } finally {
      admin.close(java.time.Duration.ofSeconds(5));
    }
  }

  /** Deploys directly: a verticle that cannot start fails the test with its reason. */
  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
