package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes and messages. */
@KafkaTest
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /**
   * Runs the command line as {@code pyrogate ARGS}, with what it prints in {@link #out} and {@link
   * #err}.
   */
  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
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
    assertThat(run("run", "--shutdown.timeout=soon", file.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).startsWith("--shutdown.timeout: ");
    assertThat(run("run", "--shutdown.timeout=-5s", file.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--shutdown.timeout: must not be negative, got \"-5s\"");
  }

  @Test
  void runRefusesAMissingFile() {
    assertThat(run("run", "/nonexistent/pyrogate.alloy")).isEqualTo(1);
    assertThat(err.toString()).contains("no such file: /nonexistent/pyrogate.alloy");
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
      int code;
      String logs;
      try (LogCapture capture = LogCapture.atInfo()) {
        code =
            run(
                "run",
                file.toString(),
                "--server.http.listen-addr=127.0.0.1:" + taken.getLocalPort(),
                "--storage.path=" + TestGateways.tempDir());
        logs = capture.text();
      }
      assertThat(code).isEqualTo(2);
      assertThat(logs)
          .contains(
              "pyrogate could not start: cannot listen on --server.http.listen-addr 127.0.0.1:"
                  + taken.getLocalPort());
    }
  }

  @Test
  void runRejectsAMalformedListenAddress() throws IOException {
    Path file = config("");
    assertThat(run("run", file.toString(), "--server.http.listen-addr=12345"))
        .isEqualTo(Main.EXIT_USAGE);
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
    assertThat(run("replay", "--write", "nope", file.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--write: no pyroscope.write \"nope\" in " + file);
    assertThat(run("replay", "--write", "w", "--endpoint", "b", file.toString()))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains(
            "--endpoint: pyroscope.write \"w\" has no endpoint named \"b\"; did you mean \"a\"?"
                + " (it has [\"a\"])");
    assertThat(run("replay", "--write", "w", "--since", "yesterday", file.toString()))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--since: expected an RFC 3339 time");
    assertThat(run("replay", "--write", "w", "--since", "2h", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("replay failed: dead-letter topic replay-cli-");
  }

  @ParameterizedTest
  @CsvSource({
    "run,-h",
    "run,--help",
    "validate,-h",
    "validate,--help",
    "replay,-h",
    "replay,--help"
  })
  void everySubcommandPrintsItsUsageOnHelpAndExitsZero(String command, String flag) {
    assertThat(run(command, flag)).isZero();
    assertThat(out.toString()).startsWith("Usage: pyrogate " + command + " ").contains("CONFIG");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndHelpCommandPrintsACommandsUsage() {
    assertThat(run("help")).isZero();
    assertThat(out.toString())
        .startsWith("Usage: pyrogate ")
        .contains("run", "validate", "replay", "version", "help");
    assertThat(run("help", "replay")).isZero();
    assertThat(out.toString()).startsWith("Usage: pyrogate replay ").contains("--write=LABEL");
  }

  @Test
  void usageErrorsExitWithTheirOwnCodeAndPointToHelp() {
    assertThat(run("run")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains("Missing required parameter: 'CONFIG'")
        .contains("pyrogate run --help");
    assertThat(run()).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).isEqualTo("Missing required subcommand\nSee 'pyrogate --help'.\n");
    assertThat(run("valdate", "pyrogate.alloy")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains("Unmatched arguments from index 0: 'valdate'")
        .contains("Did you mean: pyrogate validate?")
        .contains("See 'pyrogate --help'.");
    assertThat(run("run", "--storage-path=data", "pyrogate.alloy")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains("Unknown option: '--storage-path=data'")
        .contains("Possible solutions: --storage.path");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void validateSaysWhenTheFileDoesNotExist() {
    assertThat(run("validate", "nope.alloy")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("no such file: nope.alloy\n");
  }

  @Test
  void validateSaysWhenTheFileIsADirectory() {
    Path dir = TestGateways.tempDir();
    assertThat(run("validate", dir.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("not a file but a directory: " + dir + "\n");
  }

  @Test
  void validateSaysWhenTheFileIsUnreadable() throws IOException {
    Path file = config("");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
    assumeFalse(Files.isReadable(file), "root reads any file: nothing to refuse");
    assertThat(run("validate", file.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("permission denied: " + file + "\n");
  }

  @Test
  void replaySuggestsTheClosestWriteAndEndpointNames() throws IOException {
    Path file =
        config(
            """
        pyroscope.write "staging" {
          endpoint {
            url  = "http://127.0.0.1:1"
            name = "primary"
          }
          endpoint {
            url  = "http://127.0.0.1:2"
            name = "backup"
          }
        }
        pyroscope.write "production" {
          endpoint {
            url = "http://127.0.0.1:3"
          }
        }
        """);
    assertThat(run("replay", "--write", "stagin", file.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains(
            "--write: no pyroscope.write \"stagin\" in "
                + file
                + "; did you mean \"staging\"? (it has [\"staging\", \"production\"])");
    assertThat(run("replay", "--write", "staging", "--endpoint", "primray", file.toString()))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString())
        .contains(
            "--endpoint: pyroscope.write \"staging\" has no endpoint named \"primray\"; "
                + "did you mean \"primary\"? (it has [\"primary\", \"backup\"])");
  }

  @Test
  void versionPrintsTheVersionCommitAndBuildDate() {
    assertThat(run("version")).isZero();
    assertThat(out.toString())
        .matches(
            "pyrogate \\d+\\.\\d+\\.\\d+\\S* \\(commit (\\p{XDigit}{7,}|unknown), built "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\n");
    assertThat(Version.commit()).doesNotContain("${");
  }
}
