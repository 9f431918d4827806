package io.pyrogate;

import static io.pyrogate.testing.TestGateways.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.delivery.EndpointVerticle;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.ChildJava;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fat jar as users run it: {@code java -jar pyrogate.jar run CONFIG} on the embedded default, a
 * profile pushed with a plain HTTP client reaches the endpoint named in the config, SIGHUP reloads
 * the edited config, and SIGTERM stops it cleanly.
 */
class PackagedJarIT {

  @Test
  void runsOnTheEmbeddedDefaultDeliversAPushAndStopsOnSigterm() throws Exception {
    Path dir = TestGateways.tempDir();
    // Ports known in advance: pyrogate runs as another process, which is told them.
    int ingest = freePort();
    int management = freePort();
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      Path config = stagingConfig(dir, ingest, pyroscope.url());
      Path log = dir.resolve("pyrogate.log");
      Process process =
          new ProcessBuilder(runCommand(config, management, dir))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  assertThat(process.isAlive())
                      .as("pyrogate exited early:\n%s", read(log))
                      .isTrue();
                  return ready(management);
                });
        PushRequest request =
            Profiles.push("checkout", Profiles.jvmStacksPprof(2), Map.of("env", "prod"));
        assertThat(TestGateways.push(ingest, request.toByteArray()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);
        assertThat(pyroscope.delivered().get(0).body()).isEqualTo(request.toByteArray());

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        String output = read(log);
        assertThat(output).contains("pyrogate stopped").contains("embedded Kafka stopped");
        assertThat(output)
            .containsPattern(
                "pyrogate \\S+ \\(\\p{XDigit}{7,}\\) running: management http://127\\.0\\.0\\.1:"
                    + management
                    + "/, ");
        Matcher m = Pattern.compile("embedded Kafka ready at \\S+ in (\\d+) ms").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        System.out.println("embedded Kafka start-to-ready: " + m.group(1) + " ms");
      } finally {
        process.destroyForcibly();
      }
      assertThat(Files.exists(dir.resolve("data/kafka/meta.properties"))).isTrue();
    }
  }

  @Test
  void sighupReloadsTheEditedConfigAndKeepsRunningOnABadOne() throws Exception {
    Path dir = TestGateways.tempDir();
    // Ports known in advance: pyrogate runs as another process, which is told them.
    int ingest = freePort();
    int management = freePort();
    try (FakePyroscope a = new FakePyroscope();
        FakePyroscope b = new FakePyroscope()) {
      Path config = dir.resolve("pyrogate.alloy");
      String head =
          stagingHead(ingest)
              + "  endpoint {\n    name = \"a\"\n    url  = \""
              + a.url()
              + "\"\n  }\n";
      Files.writeString(config, head + "}\n");
      Path log = dir.resolve("pyrogate.log");
      Process process =
          new ProcessBuilder(runCommand(config, management, dir))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  assertThat(process.isAlive())
                      .as("pyrogate exited early:\n%s", read(log))
                      .isTrue();
                  return ready(management);
                });

        // A broken file: refused, logged with its position, and pyrogate keeps running the old
        // configuration.
        Files.writeString(config, head + "  endpoint {\n    urll = \"x\"\n  }\n}\n");
        sighup(process);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> read(log).contains("configuration reload refused"));
        // One log line per event: logfmt escapes the message's newlines and quotes.
        assertThat(read(log))
            .contains(
                config
                    + ":"
                    + (head.lines().count() + 2)
                    + ":5: error: unrecognized attribute \\\"urll\\\"");
        assertThat(process.isAlive()).isTrue();

        Files.writeString(
            config,
            head + "  endpoint {\n    name = \"b\"\n    url  = \"" + b.url() + "\"\n  }\n}\n");
        sighup(process);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    read(log)
                        .contains(
                            "configuration reloaded: added: pyroscope.write.staging endpoint \\\"b\\\""));

        PushRequest request = Profiles.push("checkout", Profiles.jvmStacksPprof(1), Map.of());
        assertThat(TestGateways.push(ingest, request.toByteArray()).statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> a.delivered().size() == 1 && b.delivered().size() == 1);
        assertThat(b.delivered().get(0).body()).isEqualTo(request.toByteArray());
        assertThat(process.isAlive()).isTrue();

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      } finally {
        process.destroyForcibly();
      }
    }
  }

  /**
   * kill -9 while deliveries are in flight: after a restart on the same storage every acknowledged
   * profile reaches the endpoint, and only what was in the window at the crash is delivered twice.
   */
  @Test
  void afterAKillDuringDeliveryEveryAcknowledgedProfileArrivesWithDuplicatesBoundedByTheWindow()
      throws Exception {
    Path dir = TestGateways.tempDir();
    // Ports known in advance: pyrogate runs as another process, which is told them.
    int ingest = freePort();
    int management = freePort();
    // More than the window before the crash, so a restart that re-delivered committed records would
    // exceed the bound.
    int before = EndpointVerticle.WINDOW_RECORDS + 44;
    int during = EndpointVerticle.WINDOW_RECORDS + 44;
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      Path config = stagingConfig(dir, ingest, pyroscope.url());
      Path log = dir.resolve("pyrogate.log");
      List<String> command = runCommand(config, management, dir);
      byte[] pprof = Profiles.jvmStacksPprof(1);
      List<String> acknowledged = new ArrayList<>();
      Process first =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        awaitReady(first, management, log);
        acknowledged.addAll(pushAll(ingest, pprof, before));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> pyroscope.deliveredSampleIds().size() >= before);

        pyroscope.delayAnswers(
            Duration.ofSeconds(30)); // longer than the test waits: answers come after the crash
        acknowledged.addAll(pushAll(ingest, pprof, during));
        await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.held() > 0);
        first.destroyForcibly(); // SIGKILL, with deliveries in flight
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.destroyForcibly();
      }
      // The endpoint stored what it held; pyrogate never saw those answers, so it must send them
      // again.
      int storedAtCrash = pyroscope.deliveredSampleIds().size();
      assertThat(storedAtCrash).isGreaterThan(before);

      pyroscope.delayAnswers(Duration.ZERO);
      Path log2 = dir.resolve("pyrogate-2.log");
      Process second =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log2.toFile())
              .start();
      try {
        awaitReady(second, management, log2);
        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> assertThat(pyroscope.deliveredSampleIds()).containsAll(acknowledged));
        int total = before + during;
        assertThat(pyroscope.deliveredSampleIds())
            .as("duplicates are bounded by the window")
            .hasSizeLessThanOrEqualTo(total + EndpointVerticle.WINDOW_RECORDS);
        int duplicates = pyroscope.deliveredSampleIds().size() - total;
        assertThat(duplicates)
            .as("at least once: the profiles in flight at the crash went out again")
            .isGreaterThanOrEqualTo(storedAtCrash - before);
        System.out.println("after kill -9: " + duplicates + " duplicate(s) of " + total);
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      } finally {
        second.destroyForcibly();
      }
    }
  }

  private static List<String> pushAll(int port, byte[] pprof, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PushRequest request = Profiles.push("checkout", pprof, Map.of("i", Integer.toString(i)));
      assertThat(TestGateways.push(port, request.toByteArray()).statusCode()).isEqualTo(200);
      ids.addAll(Profiles.sampleIds(request));
    }
    return ids;
  }

  private static void awaitReady(Process process, int management, Path log) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(process.isAlive()).as("pyrogate exited early:\n%s", read(log)).isTrue();
              return ready(management);
            });
  }

  @Test
  void refusesABadConfigWithItsPositionAndExitCodeOne() throws Exception {
    Path dir = TestGateways.tempDir();
    Path config = dir.resolve("bad.alloy");
    Files.writeString(
        config,
        """
        pyroscope.write "staging" {
          endpoint {
            urll = "http://localhost:4041"
          }
        }
        """);
    List<String> command = new ArrayList<>(ChildJava.command());
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("pyrogate.jar"),
            "run",
            config.toString(),
            "--storage.path=" + dir.resolve("data")));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isEqualTo(1);
    assertThat(output)
        .contains(config + ":3:5")
        .contains("unrecognized attribute \"urll\"")
        .contains("did you mean \"url\"?");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
  }

  private static void sighup(Process process) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static boolean ready(int port) {
    try {
      return TestGateways.get(port, "/-/ready").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /**
   * One receiver on {@code ingest} forwarding to write "staging" with one endpoint, on the embedded
   * broker.
   */
  private static Path stagingConfig(Path dir, int ingest, String endpointUrl)
      throws java.io.IOException {
    Path config = dir.resolve("pyrogate.alloy");
    Files.writeString(
        config, stagingHead(ingest) + "  endpoint {\n    url = \"" + endpointUrl + "\"\n  }\n}\n");
    return config;
  }

  /**
   * A configuration up to the inside of {@code pyroscope.write "staging" {}}: the embedded broker
   * on any free port, one receiver on {@code ingest} forwarding to that write. The caller adds the
   * endpoints and the closing brace.
   */
  private static String stagingHead(int ingest) {
    return """
        kafka {
          embedded_listen_address = "127.0.0.1:0"
        }

        pyroscope.receive_http "default" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = %d
          }
          forward_to = [pyroscope.write.staging.receiver]
        }

        pyroscope.write "staging" {
        """
        .formatted(ingest);
  }

  /**
   * {@code java -jar pyrogate.jar run CONFIG} with its management server on {@code management} and
   * data under dir.
   */
  private static List<String> runCommand(Path config, int management, Path dir) {
    List<String> command = new ArrayList<>(ChildJava.command());
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("pyrogate.jar"),
            "run",
            config.toString(),
            "--server.http.listen-addr=127.0.0.1:" + management,
            "--storage.path=" + dir.resolve("data")));
    return command;
  }
}
