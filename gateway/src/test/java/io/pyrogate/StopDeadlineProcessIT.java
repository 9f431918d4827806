package io.pyrogate;

import static io.pyrogate.testing.TestGateways.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pyrogate.testing.ChildJava;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SmallDisk;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Finding 5 of issue 15, with pyrogate as its own process ({@code pyrogate run}) whose embedded
 * broker's disk fills up: SIGTERM exits within {@code --shutdown.timeout} with 143, and a second
 * signal while stopping exits at once.
 */
class StopDeadlineProcessIT {

  @Test
  void aSigtermAfterTheDiskFilledUpExitsWith143WithinTheShutdownTimeout() throws Exception {
    try (SmallDisk disk = SmallDisk.mountOrSkip(64);
        FakePyroscope pyroscope = new FakePyroscope()) {
      Running pyrogate = startAndFill(disk, pyroscope, "3s");
      try {
        long began = System.nanoTime();
        pyrogate.process.destroy(); // SIGTERM
        assertThat(pyrogate.process.waitFor(30, TimeUnit.SECONDS)).as(pyrogate.log()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began))
            .as(pyrogate.log())
            .isLessThan(Duration.ofSeconds(8));
        assertThat(pyrogate.process.exitValue()).isEqualTo(143);
      } finally {
        pyrogate.process.destroyForcibly();
      }
    }
  }

  @Test
  void aSigintWhileStoppingExitsAtOnceWith130() throws Exception {
    // A process started in the background by a non-interactive shell ignores SIGINT, and so does
    // every process it starts (POSIX: an ignored signal stays ignored across exec); the JVM then
    // keeps it ignored rather than installing pyrogate's handler. ChildJava starts pyrogate with
    // the default handling where env can reset it; elsewhere the case cannot run in such a run.
    assumeFalse(
        !ChildJava.resetsSignals()
            && IgnoredSignals.ofThisProcess().contains(IgnoredSignals.SIGINT),
        "SIGINT is ignored by this test run (started in the background) and env cannot reset it");
    try (SmallDisk disk = SmallDisk.mountOrSkip(64);
        FakePyroscope pyroscope = new FakePyroscope()) {
      Running pyrogate = startAndFill(disk, pyroscope, "120s");
      try {
        pyrogate.process.destroy(); // SIGTERM: the stop starts and waits on the failed broker
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> pyrogate.log().contains("shutting down"));
        assertThat(pyrogate.process.isAlive()).as(pyrogate.log()).isTrue();

        long began = System.nanoTime();
        assertThat(
                new ProcessBuilder("kill", "-INT", Long.toString(pyrogate.process.pid()))
                    .start()
                    .waitFor())
            .isZero();
        assertThat(pyrogate.process.waitFor(30, TimeUnit.SECONDS)).as(pyrogate.log()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began))
            .as(pyrogate.log())
            .isLessThan(Duration.ofSeconds(5));
        assertThat(pyrogate.process.exitValue()).as(pyrogate.log()).isEqualTo(130);
      } finally {
        pyrogate.process.destroyForcibly();
      }
    }
  }

  /** A running {@code pyrogate run} and its output. */
  private record Running(Process process, Path logFile) {
    String log() throws IOException {
      return Files.exists(logFile) ? Files.readString(logFile) : "";
    }
  }

  /**
   * Starts pyrogate with its data on {@code disk}, waits until it is ready, fills the disk and
   * waits for 503. A port {@code freePort()} chose may be taken by another process before pyrogate
   * binds it: then it starts again on others.
   */
  private static Running startAndFill(
      SmallDisk disk, FakePyroscope pyroscope, String shutdownTimeout) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return tryStartAndFill(disk, pyroscope, shutdownTimeout);
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** pyrogate could not bind a port chosen for it. */
  private static final class PortTaken extends RuntimeException {
    PortTaken(String log) {
      super(log);
    }
  }

  private static Running tryStartAndFill(
      SmallDisk disk, FakePyroscope pyroscope, String shutdownTimeout) throws IOException {
    Path dir = TestGateways.tempDir();
    // Ports known in advance: pyrogate runs as another process, which is told them.
    int ingest = freePort();
    int management = freePort();
    Path config = dir.resolve("pyrogate.alloy");
    Files.writeString(
        config,
        """
        kafka {
          embedded_listen_address = "127.0.0.1:%d"
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
            url = "%s"
          }
        }
        """
            .formatted(0, ingest, pyroscope.url()));
    Path log = dir.resolve("pyrogate.log");
    Process process =
        new ProcessBuilder(
                Stream.concat(
                        ChildJava.command().stream(),
                        Stream.of(
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "run",
                            config.toString(),
                            "--server.http.listen-addr=127.0.0.1:" + management,
                            "--storage.path=" + disk.path(),
                            "--shutdown.timeout=" + shutdownTimeout))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Running running = new Running(process, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive() && running.log().contains("Address already in use")) {
                  throw new PortTaken(running.log());
                }
                assertThat(process.isAlive())
                    .as("pyrogate exited early:\n%s", running.log())
                    .isTrue();
                return status(management) == 200;
              });
      disk.fill();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TestGateways.push(
                              ingest,
                              Profiles.push("full", Profiles.jvmStacksPprof(1), Map.of())
                                  .toByteArray())
                          .statusCode()
                      == 503);
      return running;
    } catch (RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static int status(int management) {
    try {
      return TestGateways.get(management, "/-/ready").statusCode();
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
