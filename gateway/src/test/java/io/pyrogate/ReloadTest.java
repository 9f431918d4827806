package io.pyrogate;

import static io.pyrogate.testing.TestGateways.freePort;
import static io.pyrogate.testing.TestGateways.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live reload as an Alloy user expects it: the config file is edited, {@code POST /-/reload}
 * applies what changed and leaves the rest running; an invalid file, or a change only a restart can
 * apply, is refused with the reason and the running configuration stays.
 */
@GatewayTest
class ReloadTest {
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private GatewayUnderTest fixture;
  private Path file;
  private KafkaSettings kafka;
  private Gateway gateway;

  @BeforeEach
  void setUp(GatewayUnderTest fixture) {
    this.fixture = fixture;
    file = fixture.file();
    kafka = fixture.kafka();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
  }

  @Test
  void anAddedEndpointReceivesWhatIsPushedNextWhileUnchangedComponentsKeepRunningUntouched()
      throws IOException {
    FakePyroscope a = pyroscope();
    FakePyroscope b = pyroscope();
    String receiver = receiver("default", 0, "w");
    start(receiver + write("w", endpoint("a", a.url(), "")));
    int ingest = gateway.ingestPort("default");
    Map<String, String> before = gateway.deploymentIds();
    assertThat(before)
        .containsOnlyKeys("pyroscope.write.w endpoint \"a\"", "pyroscope.receive_http.default");

    try (Socket keptAlive = new Socket("127.0.0.1", ingest)) {
      assertThat(exchange(keptAlive)).startsWith("HTTP/1.1 405");

      rewrite(receiver + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "")));
      HttpResponse<String> reload = reload();

      assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
      assertThat(reload.body()).isEqualTo("added: pyroscope.write.w endpoint \"b\"\n");
      assertThat(exchange(keptAlive))
          .as("a connection to the unchanged receiver stays open")
          .startsWith("HTTP/1.1 405");
    }
    Map<String, String> after = gateway.deploymentIds();
    assertThat(after)
        .containsEntry(
            "pyroscope.write.w endpoint \"a\"", before.get("pyroscope.write.w endpoint \"a\""))
        .containsEntry(
            "pyroscope.receive_http.default", before.get("pyroscope.receive_http.default"))
        .containsKey("pyroscope.write.w endpoint \"b\"");

    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(deliveredIds(a)).containsAll(Profiles.sampleIds(profile));
              assertThat(deliveredIds(b)).containsAll(Profiles.sampleIds(profile));
            });

    HttpResponse<String> again = reload();
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("config unchanged\n");
    assertThat(gateway.deploymentIds()).isEqualTo(after);
  }

  @Test
  void aChangedEndpointIsRedeployedWithItsNewHeadersAndARemovedOneStopsReceiving()
      throws IOException {
    FakePyroscope a = pyroscope();
    FakePyroscope b = pyroscope();
    String receiver = receiver("default", 0, "w");
    start(receiver + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "")));
    int ingest = gateway.ingestPort("default");
    PushRequest first = profile();
    assertThat(push(ingest, first.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveredIds(a).containsAll(Profiles.sampleIds(first))
                    && deliveredIds(b).containsAll(Profiles.sampleIds(first)));
    Map<String, String> before = gateway.deploymentIds();

    rewrite(
        receiver
            + write("w", endpoint("a", a.url(), "headers = { \"X-Added\" = \"after-reload\" }")));
    HttpResponse<String> reload = reload();

    assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    assertThat(reload.body())
        .isEqualTo(
            "changed: pyroscope.write.w endpoint \"a\"\n"
                + "removed: pyroscope.write.w endpoint \"b\"\n");
    Map<String, String> after = gateway.deploymentIds();
    assertThat(after)
        .containsOnlyKeys("pyroscope.write.w endpoint \"a\"", "pyroscope.receive_http.default")
        .containsEntry(
            "pyroscope.receive_http.default", before.get("pyroscope.receive_http.default"));
    assertThat(after.get("pyroscope.write.w endpoint \"a\""))
        .isNotEqualTo(before.get("pyroscope.write.w endpoint \"a\""));
    int bReceivedBefore = b.received().size();

    PushRequest second = profile();
    assertThat(push(ingest, second.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(second)));
    assertThat(a.delivered())
        .filteredOn(r -> ids(r).containsAll(Profiles.sampleIds(second)))
        .allSatisfy(r -> assertThat(r.headers()).containsEntry("x-added", "after-reload"));
    assertThat(b.received())
        .as("the removed endpoint was undeployed before the reload answered")
        .hasSize(bReceivedBefore);
  }

  @Test
  void anInvalidFileIsRefusedWithItsPositionsAndTheRunningConfigurationKeepsDelivering()
      throws IOException {
    FakePyroscope a = pyroscope();
    FakePyroscope b = pyroscope();
    String receiver = receiver("default", 0, "w");
    start(receiver + write("w", endpoint("a", a.url(), "")));
    int ingest = gateway.ingestPort("default");
    Map<String, String> before = gateway.deploymentIds();

    // A syntax error: an attribute without a value. The endpoint added with it must not start
    // either.
    rewrite(
        receiver
            + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "remote_timeout =")));
    HttpResponse<String> syntax = reload();
    assertThat(syntax.statusCode()).isEqualTo(400);
    assertThat(syntax.body())
        .contains(
            file
                + ":"
                + lineOf("remote_timeout =")
                + ":21: error: expected expression, got newline")
        .contains("remote_timeout =\n");

    // A valid syntax with an argument pyroscope.write does not have.
    rewrite(
        receiver + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "urll = \"x\"")));
    HttpResponse<String> unknown = reload();
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .contains(file + ":" + lineOf("urll") + ":5: error: unrecognized attribute \"urll\"")
        .contains("did you mean \"url\"?");

    assertThat(gateway.deploymentIds()).isEqualTo(before);
    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(profile)));
    assertThat(b.received()).isEmpty();
  }

  @Test
  void aChangedKafkaBlockIsRefusedAsNeedingARestartAndNothingChanges() throws IOException {
    FakePyroscope a = pyroscope();
    FakePyroscope b = pyroscope();
    String receiver = receiver("default", 0, "w");
    start(receiver + write("w", endpoint("a", a.url(), "")));
    int ingest = gateway.ingestPort("default");
    Map<String, String> before = gateway.deploymentIds();

    Files.writeString(
        file,
        fixture.kafkaBlock(3)
            + receiver
            + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "")));
    HttpResponse<String> reload = reload();

    assertThat(reload.statusCode()).isEqualTo(400);
    assertThat(reload.body()).isEqualTo("the kafka block changed; restart pyrogate to apply it\n");
    assertThat(gateway.deploymentIds()).isEqualTo(before);
    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(profile)));
    assertThat(b.received()).isEmpty();
  }

  @Test
  void aNewReceiverListensOnItsPortAndARemovedOneStopsListening() throws IOException {
    FakePyroscope a = pyroscope();
    String writes = write("w", endpoint("a", a.url(), ""));
    start(receiver("first", 0, "w") + writes);
    int first = gateway.ingestPort("first");

    rewrite(receiver("first", 0, "w") + receiver("second", 0, "w") + writes);
    HttpResponse<String> added = reload();
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(added.body()).isEqualTo("added: pyroscope.receive_http.second\n");
    int second = gateway.ingestPort("second");
    PushRequest viaSecond = profile();
    assertThat(push(second, viaSecond.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(viaSecond)));

    rewrite(receiver("second", 0, "w") + writes);
    HttpResponse<String> removed = reload();
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(removed.body()).isEqualTo("removed: pyroscope.receive_http.first\n");
    assertThatThrownBy(() -> new Socket("127.0.0.1", first).close())
        .isInstanceOf(ConnectException.class);
    assertThat(push(second, profile().toByteArray()).statusCode()).isEqualTo(200);
  }

  @Test
  void aNewWriteGetsItsTopicsAndEndpointsBeforeTheReceiverWhoseForwardToChangedIsReplaced()
      throws Exception {
    FakePyroscope a = pyroscope();
    FakePyroscope c = pyroscope();
    // A port known in advance: the replacement listens on the same port as its predecessor.
    int ingest = freePort();
    start(receiver("default", ingest, "w") + write("w", endpoint("a", a.url(), "")));
    Map<String, String> before = gateway.deploymentIds();

    rewrite(
        receiver("default", ingest, "w", "w2")
            + write("w", endpoint("a", a.url(), ""))
            + write("w2", endpoint("c", c.url(), "")));
    HttpResponse<String> reload = reload();

    assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    assertThat(reload.body())
        .isEqualTo(
            "added: pyroscope.write.w2, pyroscope.write.w2 endpoint \"c\"\n"
                + "changed: pyroscope.receive_http.default\n");
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.broker().bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      assertThat(topics)
          .contains(kafka.topicPrefix() + "write.w2", kafka.topicPrefix() + "write.w2.dlq");
    }
    Map<String, String> after = gateway.deploymentIds();
    assertThat(after.get("pyroscope.receive_http.default"))
        .isNotEqualTo(before.get("pyroscope.receive_http.default"));
    assertThat(after)
        .containsEntry(
            "pyroscope.write.w endpoint \"a\"", before.get("pyroscope.write.w endpoint \"a\""));

    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveredIds(a).containsAll(Profiles.sampleIds(profile))
                    && deliveredIds(c).containsAll(Profiles.sampleIds(profile)));

    rewrite(receiver("default", ingest, "w2") + write("w2", endpoint("c", c.url(), "")));
    HttpResponse<String> dropW = reload();
    assertThat(dropW.statusCode()).as(dropW.body()).isEqualTo(200);
    assertThat(dropW.body())
        .isEqualTo(
            "changed: pyroscope.receive_http.default\n"
                + "removed: pyroscope.write.w endpoint \"a\", pyroscope.write.w\n");
  }

  @Test
  void aReceiverMovedToAnotherAddressOnTheSamePortIsReplaced() throws IOException {
    FakePyroscope a = pyroscope();
    // A port known in advance: the receiver keeps it while its address changes.
    int ingest = freePort();
    String writes = write("w", endpoint("a", a.url(), ""));
    start(receiver("default", ingest, "w") + writes);

    // 0.0.0.0 cannot be bound beside 127.0.0.1 on one port: the old listener has to go first.
    rewrite(receiver("default", ingest, "w").replace("\"127.0.0.1\"", "\"0.0.0.0\"") + writes);
    HttpResponse<String> reload = reload();

    assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    assertThat(reload.body()).isEqualTo("changed: pyroscope.receive_http.default\n");
    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(profile)));
  }

  @Test
  void aReceiverRenamedOnTheSamePortIsStoppedBeforeItsSuccessorListens() throws IOException {
    FakePyroscope a = pyroscope();
    // A port known in advance: the renamed receiver takes over the same port.
    int ingest = freePort();
    String writes = write("w", endpoint("a", a.url(), ""));
    start(receiver("old_name", ingest, "w") + writes);

    rewrite(receiver("new_name", ingest, "w") + writes);
    HttpResponse<String> reload = reload();

    assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    assertThat(reload.body())
        .isEqualTo(
            "added: pyroscope.receive_http.new_name\nremoved: pyroscope.receive_http.old_name\n");
    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(profile)));
  }

  @Test
  void aReceiverThatCannotListenOnItsNewPortKeepsServingOnTheOldOne() throws IOException {
    FakePyroscope a = pyroscope();
    // A port known in advance: the test checks the receiver keeps serving on it.
    int ingest = freePort();
    String writes = write("w", endpoint("a", a.url(), ""));
    start(receiver("default", ingest, "w") + writes);
    Map<String, String> before = gateway.deploymentIds();

    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      rewrite(receiver("default", taken.getLocalPort(), "w") + writes);
      HttpResponse<String> reload = reload();

      assertThat(reload.statusCode()).as(reload.body()).isEqualTo(500);
      assertThat(reload.body())
          .startsWith(
              "reload failed: pyroscope.receive_http \"default\" cannot listen on 127.0.0.1:"
                  + taken.getLocalPort())
          .endsWith("; nothing was changed\n");
    }
    assertThat(gateway.deploymentIds()).isEqualTo(before);
    PushRequest profile = profile();
    assertThat(push(ingest, profile.toByteArray()).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(profile)));
  }

  @Test
  void anAddedKafkaSourceConsumesItsTopicAndARemovedOneStops() throws Exception {
    FakePyroscope a = pyroscope();
    String components = receiver("default", 0, "w") + write("w", endpoint("a", a.url(), ""));
    start(components);
    String userTopic = "reload-user-profiles-" + UUID.randomUUID();
    PushRequest produced = profile();
    try (Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    fixture.broker().bootstrapServers()));
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                new HashMap<>(KafkaDefaults.producer(fixture.broker().bootstrapServers())))) {
      admin
          .createTopics(List.of(new NewTopic(userTopic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      producer
          .send(new ProducerRecord<>(userTopic, produced.toByteArray()))
          .get(30, TimeUnit.SECONDS);
    }

    rewrite(
        components
            + """
        pyroscope.receive_kafka "users" {
          brokers    = ["%s"]
          topics     = ["%s"]
          group_id   = "reload-%s"
          forward_to = [pyroscope.write.w.receiver]
        }
        """
                .formatted(fixture.broker().bootstrapServers(), userTopic, UUID.randomUUID()));
    HttpResponse<String> added = reload();

    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(added.body()).isEqualTo("added: pyroscope.receive_kafka.users\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveredIds(a).containsAll(Profiles.sampleIds(produced)));

    rewrite(components);
    HttpResponse<String> removed = reload();
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(removed.body()).isEqualTo("removed: pyroscope.receive_kafka.users\n");
    assertThat(gateway.deploymentIds()).doesNotContainKey("pyroscope.receive_kafka.users");
  }

  @Test
  void concurrentReloadsAreSerialized() throws Exception {
    FakePyroscope a = pyroscope();
    FakePyroscope b = pyroscope();
    String receiver = receiver("default", 0, "w");
    start(receiver + write("w", endpoint("a", a.url(), "")));
    rewrite(receiver + write("w", endpoint("a", a.url(), "") + endpoint("b", b.url(), "")));

    CyclicBarrier together = new CyclicBarrier(2);
    List<CompletableFuture<HttpResponse<String>>> reloads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      reloads.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return reload();
              }));
    }
    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> r : reloads) {
      HttpResponse<String> response = r.get(120, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      bodies.add(response.body());
    }

    assertThat(bodies)
        .containsExactlyInAnyOrder(
            "added: pyroscope.write.w endpoint \"b\"\n", "config unchanged\n");
    assertThat(gateway.deploymentIds()).hasSize(3);
  }

  @Test
  void reloadAnswersOnlyPost() throws IOException {
    start(receiver("default", 0, "w") + write("w", ""));
    HttpResponse<String> get = TestGateways.get(gateway.managementPort(), "/-/reload");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void reloadRefusesToBlockAnEventLoop() throws Exception {
    start(receiver("default", 0, "w") + write("w", ""));
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              gateway.reload(ConfigLoader.load(file, System::getenv).config());
              refused.complete(null);
            } catch (RuntimeException e) {
              refused.complete(e);
            }
          });
      assertThat(refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  // --- the file, the gateway, the wire

  private void start(String components) {
    gateway = fixture.start(components);
  }

  /** Writes the components with the same kafka block as at start. */
  private void rewrite(String components) {
    fixture.rewrite(components);
  }

  private HttpResponse<String> reload() {
    return fixture.reload();
  }

  private FakePyroscope pyroscope() {
    FakePyroscope p = new FakePyroscope();
    closeLast.add(p);
    return p;
  }

  private static String receiver(String label, int port, String... writes) {
    List<String> targets = new ArrayList<>();
    for (String w : writes) {
      targets.add("pyroscope.write." + w + ".receiver");
    }
    return """
        pyroscope.receive_http "%s" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = %d
          }
          forward_to = [%s]
        }
        """
        .formatted(label, port, String.join(", ", targets));
  }

  private static String write(String label, String endpoints) {
    return "pyroscope.write \"" + label + "\" {\n" + endpoints + "}\n";
  }

  private static String endpoint(String name, String url, String extra) {
    return """
          endpoint {
            name               = "%s"
            url                = "%s"
            min_backoff_period = "50ms"
            max_backoff_period = "500ms"
            %s
          }
        """
        .formatted(name, url, extra);
  }

  /** The 1-based line of the file holding {@code text}. */
  private int lineOf(String text) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  private static PushRequest profile() {
    return Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of());
  }

  private static List<String> deliveredIds(FakePyroscope pyroscope) {
    List<String> ids = new ArrayList<>();
    pyroscope.delivered().forEach(r -> ids.addAll(ids(r)));
    return ids;
  }

  private static List<String> ids(FakePyroscope.Request request) {
    try {
      return Profiles.sampleIds(PushRequest.parseFrom(request.body()));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A GET of the push path on a kept-alive connection (answered 405); returns the status line and
   * headers.
   */
  private static String exchange(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            "GET /push.v1.PusherService/Push HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new UncheckedIOException(
            new IOException("connection closed; got " + head.toString(StandardCharsets.US_ASCII)));
      }
      head.write(c);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return text;
  }
}
