package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.kafka.Producers;
import io.pyrogate.kafka.TopicReceiver;
import io.pyrogate.kafka.Topics;
import io.pyrogate.ops.Metrics;
import io.pyrogate.pyroscope.PyroscopeHttp;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement and memory bounds of both routes, with the ingest verticle deployed on its
 * own against the real test broker so the in-flight cap and the receivers can be chosen by the
 * test.
 */
@KafkaTest
class IngestBoundsTest {
  private static final String PUSH = PyroscopeHttp.PUSH_PATH;
  private static TestKafka broker;
  private static KafkaSettings kafka;
  private static Admin admin;

  @BeforeAll
  static void kafka(TestKafka handle) {
    broker = handle;
    kafka = broker.settings();
    admin = broker.admin();
  }

  @Test
  void whenTheInFlightCapIsReachedBothRoutesAnswer429WithRetryAfterAndStoreNothing() {
    String topic = topic("cap");
    InflightBytes inflight = new InflightBytes(1024 * 1024);
    try (Server server =
        new Server(p -> List.of(new TopicReceiver("w", topic, p)), inflight, 1, Map.of())) {
      // Other requests' bodies fill the cap while they wait for Kafka.
      assertThat(inflight.tryAcquire(inflight.capacity())).isTrue();
      byte[] push = Profiles.push("capped", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
      expect429(post(server.port, PUSH, push, Map.of("Content-Type", "application/proto")));
      expect429(
          post(
              server.port,
              "/ingest?name=capped.cpu",
              "a;b 1\n".getBytes(StandardCharsets.UTF_8),
              Map.of("Content-Type", "text/plain")));
      assertThat(inflight.used())
          .as("refused requests hold nothing")
          .isEqualTo(inflight.capacity());

      // With 100 KiB left, a 200 KiB body does not fit but a 50 KiB one does.
      inflight.release(100 * 1024);
      expect429(
          post(
              server.port,
              "/ingest?name=big.cpu",
              folded(200 * 1024),
              Map.of("Content-Type", "text/plain")));
      assertThat(
              post(
                      server.port,
                      "/ingest?name=small.cpu",
                      folded(50 * 1024),
                      Map.of("Content-Type", "text/plain"))
                  .statusCode())
          .isEqualTo(200);

      inflight.release(inflight.capacity() - 100 * 1024);
      assertThat(
              post(server.port, PUSH, push, Map.of("Content-Type", "application/proto"))
                  .statusCode())
          .isEqualTo(200);
      assertThat(inflight.used()).as("everything answered has been released").isZero();
      assertThat(broker.readAll(topic))
          .extracting(r -> r.key())
          .containsExactlyInAnyOrder("/small", "/capped");
    }
  }

  @Test
  void theAnswerWaitsForEveryForwardToTopic() {
    String first = topic("first");
    String second = topic("second");
    Gate gate = new Gate();
    try (Server server =
        new Server(
            p ->
                List.of(
                    new TopicReceiver("a", first, p),
                    gate.before(new TopicReceiver("b", second, p))),
            new InflightBytes(64L * 1024 * 1024),
            1,
            Map.of())) {
      byte[] body = folded(1024);
      CompletableFuture<HttpResponse<String>> answer =
          postAsync(server.port, "/ingest?name=waits.cpu", body);

      await().atMost(Duration.ofSeconds(10)).until(gate::reached);
      await().atMost(Duration.ofSeconds(10)).until(() -> broker.readAll(first).size() == 1);
      // The first topic acknowledged; the second has not: no answer yet.
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !answer.isDone());

      gate.open();
      HttpResponse<String> response = answer.join();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(broker.readAll(second))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).isEqualTo(body));
    }
  }

  @Test
  void whenATopicCannotBeWrittenTheClientGets503WithRetryAfter() {
    String exists = topic("exists");
    String missing = kafka.topicPrefix() + "write.never-created";
    InflightBytes inflight = new InflightBytes(64L * 1024 * 1024);
    // Kafka does not know the topic: the producer gives up after max.block.ms, as when the cluster
    // is unreachable.
    try (Server server =
        new Server(
            p -> List.of(new TopicReceiver("a", exists, p), new TopicReceiver("b", missing, p)),
            inflight,
            1,
            Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500"))) {
      HttpResponse<String> push =
          post(
              server.port,
              PUSH,
              Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of()).toByteArray(),
              Map.of("Content-Type", "application/proto"));
      HttpResponse<String> ingest =
          post(
              server.port,
              "/ingest?name=svc.cpu",
              folded(100),
              Map.of("Content-Type", "text/plain"));
      for (HttpResponse<String> r : List.of(push, ingest)) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("unavailable");
        assertThat(new JsonObject(r.body()).getString("message"))
            .contains("Kafka did not acknowledge");
      }
      assertThat(inflight.used()).isZero();
    }
  }

  @Test
  void instancesShareThePortAndEachServesBothRoutes() throws Exception {
    String topic = topic("instances");
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (Server server =
        new Server(
            p -> List.of(new ThreadRecorder(new TopicReceiver("w", topic, p), threads)),
            new InflightBytes(64L * 1024 * 1024),
            2,
            Map.of())) {
      Vertx client = Vertx.vertx();
      try {
        // A new connection per request: connections are spread over the instances.
        var http = client.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        for (int i = 0; i < 4; i++) {
          String uri = i % 2 == 0 ? "/ingest?name=inst.cpu" : PUSH;
          byte[] body =
              i % 2 == 0
                  ? folded(100)
                  : Profiles.push("inst", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
          String type = i % 2 == 0 ? "text/plain" : "application/proto";
          int status =
              http.request(HttpMethod.POST, server.port, "127.0.0.1", uri)
                  .compose(req -> req.putHeader("Content-Type", type).send(Buffer.buffer(body)))
                  .map(resp -> resp.statusCode())
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get(10, TimeUnit.SECONDS);
          assertThat(status).isEqualTo(200);
        }
      } finally {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      assertThat(threads).as("event loops that served requests").hasSize(2);
      assertThat(broker.readAll(topic)).hasSize(4);
    }
  }

  // --- helpers ---

  private static void expect429(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    JsonObject error = new JsonObject(response.body());
    assertThat(error.getString("code")).isEqualTo("resource_exhausted");
    assertThat(error.getString("message")).contains("in-flight limit");
  }

  private static byte[] folded(int size) {
    byte[] line = "main;work;leaf 1\n".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = line[i % line.length];
    }
    return body;
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(
      int port, String uri, byte[] body) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String topic(String name) {
    String topic = Topics.writeTopic(kafka, name);
    new Topics(admin, kafka).ensureTopics(List.of(topic));
    return topic;
  }

  /**
   * One receive_http component's verticles on a port of their own, writing with a real producer.
   */
  private static final class Server implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Producers producers;
    final int port;

    Server(
        Function<Producers, List<ProfileReceiver>> receivers,
        InflightBytes inflight,
        int instances,
        Map<String, String> producerOverrides) {
      Map<String, Object> config = new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers()));
      config.putAll(producerOverrides);
      producers = new Producers(vertx, config, 1);
      List<ProfileReceiver> targets = receivers.apply(producers);
      ReceiveHttpComponent component =
          new ReceiveHttpComponent(
              "default",
              ReceiveHttpComponent.HttpServerConfig.defaults().at("127.0.0.1", 0),
              List.of());
      ConnectionSlots slots =
          new ConnectionSlots(component.server().connLimit(), component.server().readTimeout());
      var metrics = new Metrics().ingest("pyroscope.receive_http.default");
      String deployment =
          await(
              vertx.deployVerticle(
                  () -> new HttpIngestVerticle(component, targets, inflight, slots, metrics),
                  new DeploymentOptions().setInstances(instances)));
      port = HttpIngestVerticle.boundPort(vertx, deployment);
    }

    @Override
    public void close() {
      await(producers.close(5_000));
      await(vertx.close());
    }

    private static <T> T await(Future<T> f) {
      try {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Holds every record back from its receiver until the test opens it. */
  private static final class Gate {
    private final AtomicReference<Context> context = new AtomicReference<>();
    private final Promise<Void> open = Promise.promise();

    ProfileReceiver before(ProfileReceiver inner) {
      return new ProfileReceiver() {
        @Override
        public String name() {
          return inner.name();
        }

        @Override
        public Future<Void> append(ProfileRecord record, String key) {
          Promise<Void> done = Promise.promise();
          open.future().onComplete(v -> inner.append(record, key).onComplete(done));
          context.set(Vertx.currentContext());
          return done.future();
        }
      };
    }

    boolean reached() {
      return context.get() != null;
    }

    void open() {
      context.get().runOnContext(v -> open.complete());
    }
  }

  /** Notes which thread (event loop) each record came from. */
  private record ThreadRecorder(ProfileReceiver inner, Set<String> threads)
      implements ProfileReceiver {
    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public Future<Void> append(ProfileRecord record, String key) {
      threads.add(Thread.currentThread().getName());
      return inner.append(record, key);
    }
  }
}
