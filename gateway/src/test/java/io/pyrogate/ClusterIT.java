package io.pyrogate;

import static io.pyrogate.testing.TestGateways.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode as users run it: packaged pyrogates on 127.0.0.1, each a Hazelcast member of its own
 * process, on one Kafka broker (the test JVM's). They form a cluster whose view every member
 * serves; a Retry-After answered to one member holds every member's requests to that endpoint; a
 * member killed with SIGKILL leaves the view, and its partitions and its work for the cluster (the
 * lag reading) are taken over.
 */
class ClusterIT {
  private static final String ENDPOINT = "pyroscope";
  private static final int PARTITIONS = 6;

  /** A pyrogate process, member {@code name} of the cluster. */
  private record Member(String name, Process process, int ingest, int management, Path log) {
    JsonObject cluster() {
      return new JsonObject(TestGateways.get(management, "/api/cluster").body());
    }

    boolean ready() {
      try {
        return TestGateways.get(management, "/-/ready").statusCode() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    }

    String output() throws IOException {
      return Files.exists(log) ? Files.readString(log) : "";
    }
  }

  @Test
  void threeMembersShareAViewAndAKilledOneLeavesItWhileItsPartitionsAndLagReadingAreTakenOver()
      throws Exception {
    try (TestKafka kafka = TestKafka.handle();
        FakePyroscope pyroscope = new FakePyroscope()) {
      List<Member> members = startCluster(kafka, pyroscope, List.of("a", "b", "c"));
      try {
        for (Member m : members) {
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () -> assertThat(names(m.cluster())).containsExactlyInAnyOrder("a", "b", "c"));
        }
        // Every partition is held by one member, and each member holds some.
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(
                () -> {
                  Map<String, List<Integer>> held = partitions(members.get(0).cluster());
                  assertThat(held.values()).allSatisfy(p -> assertThat(p).isNotEmpty());
                  assertThat(held.values().stream().flatMap(List::stream).sorted().toList())
                      .containsExactlyElementsOf(IntStream.range(0, PARTITIONS).boxed().toList());
                });
        JsonObject view = members.get(1).cluster();
        assertThat(view.getBoolean("clustered")).isTrue();
        assertThat(view.getString("cluster")).isEqualTo(kafka.topicPrefix() + "cluster");
        String lagReader =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> lagReader(members.get(1).cluster()), r -> r != null);
        System.out.println(
            "cluster view: " + partitions(members.get(0).cluster()) + ", lag read by " + lagReader);

        Member killed =
            members.stream().filter(m -> m.name().equals(lagReader)).findFirst().orElseThrow();
        long killedAt = System.nanoTime();
        killed.process().destroyForcibly(); // SIGKILL
        assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Member> survivors = members.stream().filter(m -> m != killed).toList();
        for (Member m : survivors) {
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () -> assertThat(names(m.cluster())).hasSize(2).doesNotContain(killed.name()));
        }
        long leftAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        await()
            .atMost(Duration.ofSeconds(40))
            .untilAsserted(
                () -> {
                  JsonObject now = survivors.get(0).cluster();
                  assertThat(
                          partitions(now).values().stream().flatMap(List::stream).sorted().toList())
                      .containsExactlyElementsOf(IntStream.range(0, PARTITIONS).boxed().toList());
                  assertThat(lagReader(now)).isIn(survivors.stream().map(Member::name).toList());
                });
        System.out.println(
            "killed "
                + killed.name()
                + ": left the view after "
                + leftAfterMs
                + " ms; partitions and lag reading taken over after "
                + (System.nanoTime() - killedAt) / 1_000_000
                + " ms: "
                + partitions(survivors.get(0).cluster())
                + ", lag read by "
                + lagReader(survivors.get(0).cluster()));
        for (Member m : survivors) {
          assertThat(m.process().isAlive()).as(m.output()).isTrue();
        }
      } finally {
        stopAll(members);
      }
    }
  }

  @Test
  void aRetryAfterAnsweredToOneMemberHoldsEveryMembersRequestsToThatEndpoint() throws Exception {
    try (TestKafka kafka = TestKafka.handle();
        FakePyroscope pyroscope = new FakePyroscope()) {
      List<Member> members = startCluster(kafka, pyroscope, List.of("a", "b"));
      AtomicBoolean pushing = new AtomicBoolean(true);
      Thread pusher = new Thread(() -> pushUntil(members.get(0).ingest(), pushing), "pusher");
      try {
        for (Member m : members) {
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(() -> assertThat(names(m.cluster())).hasSize(2));
        }
        // The status page shows the cluster too.
        JsonObject status =
            new JsonObject(TestGateways.get(members.get(0).management(), "/api/status").body());
        assertThat(names(status.getJsonObject("cluster"))).containsExactlyInAnyOrder("a", "b");
        assertThat(TestGateways.get(members.get(0).management(), "/").body())
            .contains("<h2>Cluster <small>" + kafka.topicPrefix() + "cluster · 2 members");
        pusher.start();
        // Both members deliver: each holds partitions the pushes spread over.
        await()
            .atMost(Duration.ofSeconds(40))
            .until(() -> membersDelivered(pyroscope, 0).containsAll(Set.of("a", "b")));

        pyroscope.failNext(1, 429, "10");
        FakePyroscope.Request refused =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () ->
                        pyroscope.received().stream()
                            .filter(r -> r.answered() == 429)
                            .findFirst()
                            .orElse(null),
                    r -> r != null);
        long t = refused.receivedAtNanos();
        // Every member's view shows the endpoint held on every member.
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(states(members.get(1).cluster()))
                        .containsOnlyKeys("a", "b")
                        .containsValues("held")
                        .doesNotContainValue("delivering"));
        // Both members again, after the wait.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    membersDelivered(pyroscope, t + TimeUnit.SECONDS.toNanos(9))
                        .containsAll(Set.of("a", "b")));

        List<FakePyroscope.Request> after =
            pyroscope.received().stream().filter(r -> r.receivedAtNanos() > t).toList();
        List<FakePyroscope.Request> inTheWait =
            after.stream()
                .filter(r -> r.receivedAtNanos() > t + TimeUnit.MILLISECONDS.toNanos(1_000))
                .filter(r -> r.receivedAtNanos() < t + TimeUnit.MILLISECONDS.toNanos(9_500))
                .toList();
        Map<String, Long> firstAfter = new TreeMap<>();
        for (FakePyroscope.Request r : after) {
          if (r.receivedAtNanos() > t + TimeUnit.MILLISECONDS.toNanos(1_000)) {
            firstAfter.putIfAbsent(
                r.headers().get("x-member"), (r.receivedAtNanos() - t) / 1_000_000);
          }
        }
        System.out.println(
            "Retry-After: 10 answered to member "
                + refused.headers().get("x-member")
                + "; requests within 1 s after it (already in flight): "
                + after.stream()
                    .filter(r -> r.receivedAtNanos() <= t + TimeUnit.MILLISECONDS.toNanos(1_000))
                    .count()
                + ", between 1 s and 9.5 s: "
                + inTheWait.size()
                + "; first request of each member after that, ms after the 429: "
                + firstAfter);
        assertThat(inTheWait).as("no member sends while the endpoint asked to wait").isEmpty();
        assertThat(firstAfter.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(firstAfter.values()).allSatisfy(ms -> assertThat(ms).isBetween(9_500L, 20_000L));
      } finally {
        pushing.set(false);
        pusher.join(10_000);
        stopAll(members);
      }
    }
  }

  /** Pushes profiles of many services (spread over the partitions) until told to stop. */
  private static void pushUntil(int ingest, AtomicBoolean pushing) {
    byte[] pprof = Profiles.jvmStacksPprof(1);
    int i = 0;
    while (pushing.get()) {
      PushRequest request =
          Profiles.push("svc-" + (i % 24), pprof, Map.of("i", Integer.toString(i)));
      try {
        TestGateways.push(ingest, request.toByteArray());
      } catch (RuntimeException e) {
        // a member going away mid-request; the test's assertions tell
      }
      i++;
      try {
        Thread.sleep(20); // pacing a load generator, not synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The members whose requests the endpoint accepted after {@code sinceNanos}. */
  private static Set<String> membersDelivered(FakePyroscope pyroscope, long sinceNanos) {
    return pyroscope.delivered().stream()
        .filter(r -> r.receivedAtNanos() > sinceNanos)
        .map(r -> r.headers().get("x-member"))
        .collect(Collectors.toSet());
  }

  private static List<String> names(JsonObject view) {
    return view.getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("nodeName"))
        .toList();
  }

  /** The endpoint's state on each member, by member name. */
  private static Map<String, String> states(JsonObject view) {
    Map<String, String> states = new TreeMap<>();
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      for (Object e : m.getJsonArray("endpoints")) {
        JsonObject ep = (JsonObject) e;
        if (ep.getString("endpoint").equals(ENDPOINT)) {
          states.put(m.getString("nodeName"), ep.getString("state"));
        }
      }
    }
    return states;
  }

  /** The partitions of the endpoint's group each member holds, by member name. */
  private static Map<String, List<Integer>> partitions(JsonObject view) {
    Map<String, List<Integer>> held = new TreeMap<>();
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      List<Integer> p = new ArrayList<>();
      for (Object e : m.getJsonArray("endpoints")) {
        JsonObject ep = (JsonObject) e;
        if (ep.getString("endpoint").equals(ENDPOINT)) {
          ep.getJsonArray("partitions").forEach(n -> p.add(((Number) n).intValue()));
        }
      }
      held.put(m.getString("nodeName"), p);
    }
    return held;
  }

  /** The member that reads the lag for the cluster, or null. */
  private static String lagReader(JsonObject view) {
    TreeSet<String> readers = new TreeSet<>();
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      if (m.getJsonArray("singletons", new JsonArray()).contains("lag")) {
        readers.add(m.getString("nodeName"));
      }
    }
    assertThat(readers).as("at most one member reads the lag").hasSizeLessThanOrEqualTo(1);
    return readers.isEmpty() ? null : readers.first();
  }

  private List<Member> startCluster(TestKafka kafka, FakePyroscope pyroscope, List<String> names)
      throws IOException {
    Path dir = TestGateways.tempDir();
    List<Integer> hazelcastPorts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      hazelcastPorts.add(freePort());
    }
    String join =
        hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<Member> members = new ArrayList<>();
    try {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        int ingest = freePort();
        int management = freePort();
        Path config = dir.resolve(name + ".alloy");
        Files.writeString(config, config(kafka, pyroscope.url(), ingest, name));
        Path log = dir.resolve(name + ".log");
        Process process =
            new ProcessBuilder(
                    javaBinary(),
                    "-Xmx384m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    System.getProperty("pyrogate.jar"),
                    "run",
                    config.toString(),
                    "--server.http.listen-addr=127.0.0.1:" + management,
                    "--storage.path=" + dir.resolve(name),
                    "--cluster.enabled",
                    "--cluster.node-name=" + name,
                    "--cluster.advertise-address=127.0.0.1:" + hazelcastPorts.get(i),
                    "--cluster.join-addresses=" + join)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        members.add(new Member(name, process, ingest, management, log));
      }
      for (Member m : members) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  assertThat(m.process().isAlive())
                      .as("member %s exited early:\n%s", m.name(), m.output())
                      .isTrue();
                  return m.ready();
                });
      }
      return members;
    } catch (RuntimeException | Error e) {
      stopAll(members);
      throw e;
    }
  }

  private static void stopAll(List<Member> members) {
    for (Member m : members) {
      m.process().destroyForcibly();
    }
    for (Member m : members) {
      try {
        m.process().waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The members' configuration: the same but for the header naming the member to the receiver. */
  private static String config(TestKafka kafka, String url, int ingest, String member) {
    return """
        kafka {
          bootstrap_servers = ["%s"]
          topic_prefix      = "%s"
          partitions        = %d
        }

        pyroscope.receive_http "default" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = %d
          }
          forward_to = [pyroscope.write.staging.receiver]
        }

        pyroscope.write "staging" {
          endpoint {
            name               = "%s"
            url                = "%s"
            min_backoff_period = "100ms"
            headers            = { "X-Member" = "%s" }
          }
        }
        """
        .formatted(
            kafka.bootstrapServers(),
            kafka.topicPrefix(),
            PARTITIONS,
            ingest,
            ENDPOINT,
            url,
            member);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
