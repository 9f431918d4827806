package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes and messages. */
@KafkaTest
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static Path config(String text) throws IOException {
    Path file = TestGateways.tempDir().resolve("pyrogate.alloy");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void validateSummarisesAGoodConfig() throws IOException {
    Path file =
        config(
            """
        pyroscope.receive_http "default" {
          forward_to = [pyroscope.write.staging.receiver]
        }
        pyroscope.write "staging" {
          endpoint {
            url = "http://a:4040"
          }
          endpoint {
            url = "http://b:4040"
          }
        }
        pyroscope.scrape "default" {
          forward_to = [pyroscope.write.staging.receiver]
        }
        """);
    assertThat(run("validate", file.toString())).isZero();
    assertThat(out.toString())
        .isEqualTo(
            file
                + ": OK: 1 pyroscope.write (2 endpoints), 1 pyroscope.receive_http, kafka embedded\n");
    assertThat(err.toString())
        .contains(file + ":12:1: warning: pyrogate does not run \"pyroscope.scrape\"");
  }

  @Test
  void validateListsEveryErrorAndExitsOne() throws IOException {
    Path file =
        config(
            """
        pyroscope.write "staging" {
          endpoint {
            url = "ftp://a"
            remote_timeout = 10
          }
        }
        """);
    assertThat(run("validate", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains(file + ":3:5: error: url \"ftp://a\" must start with http:// or https://")
        .contains(file + ":4:22: error: attribute \"remote_timeout\"");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void runRefusesAShutdownTimeoutThatIsNoDuration() throws IOException {
    Path file =
        config(
            """
        pyroscope.write "staging" {
          endpoint {
            url = "http://a:4040"
          }
        }
        """);
    assertThat(run("run", "--shutdown.timeout=soon", file.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("--shutdown.timeout: ");
    assertThat(run("run", "--shutdown.timeout=-5s", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--shutdown.timeout: must not be negative, got \"-5s\"");
  }

  @Test
  void runRefusesAMissingFile() {
    assertThat(run("run", "/nonexistent/pyrogate.alloy")).isEqualTo(1);
    assertThat(err.toString())
        .contains("cannot read configuration file /nonexistent/pyrogate.alloy");
  }

  @Test
  void runExitsTwoWhenTheServerAddressIsTaken() throws IOException {
    Path file =
        config(
            """
        kafka {
          bootstrap_servers = ["%s"]
        }
        """
                .formatted(TestKafka.handle().bootstrapServers()));
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int code =
          run(
              "run",
              file.toString(),
              "--server.http.listen-addr=127.0.0.1:" + taken.getLocalPort(),
              "--storage.path=" + TestGateways.tempDir());
      assertThat(code).isEqualTo(2);
      assertThat(err.toString())
          .contains(
              "pyrogate could not start: cannot listen on --server.http.listen-addr 127.0.0.1:"
                  + taken.getLocalPort());
    }
  }

  @Test
  void runRejectsAMalformedListenAddress() throws IOException {
    Path file = config("");
    assertThat(run("run", file.toString(), "--server.http.listen-addr=12345")).isEqualTo(1);
    assertThat(err.toString())
        .contains("--server.http.listen-addr: expected HOST:PORT, got \"12345\"");
  }

  @Test
  void replayExplainsWhatIsWrongWithItsArguments() throws IOException {
    Path file =
        config(
            """
        kafka {
          bootstrap_servers = ["%s"]
          topic_prefix      = "replay-cli-%d."
        }
        pyroscope.write "w" {
          endpoint {
            url  = "http://127.0.0.1:1"
            name = "a"
          }
        }
        """
                .formatted(TestKafka.handle().bootstrapServers(), System.nanoTime()));
    assertThat(run("replay", "--write", "nope", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--write: no pyroscope.write \"nope\" in " + file);
    assertThat(run("replay", "--write", "w", "--endpoint", "b", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("--endpoint: pyroscope.write \"w\" has no endpoint named \"b\" (it has [\"a\"])");
    assertThat(run("replay", "--write", "w", "--since", "yesterday", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--since: expected an RFC 3339 time");
    assertThat(run("replay", "--write", "w", "--since", "2h", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("replay failed: dead-letter topic replay-cli-");
  }

  @Test
  void versionPrintsTheBuildVersion() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).startsWith("pyrogate ").doesNotContain("dev");
  }
}
