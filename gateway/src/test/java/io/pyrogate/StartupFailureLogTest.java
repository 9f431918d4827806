package io.pyrogate;

import static io.pyrogate.testing.TestGateways.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.TestGateways;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every failed start ends in one line at error naming what failed, after at most a few others, and
 * prints no stack trace at the default level.
 */
class StartupFailureLogTest {
  private static List<String> run(String config, String... flags) throws IOException {
    Path dir = TestGateways.tempDir();
    Path file = dir.resolve("pyrogate.alloy");
    Files.writeString(file, config);
    String[] args = new String[flags.length + 3];
    args[0] = "run";
    args[1] = file.toString();
    args[2] = "--server.http.listen-addr=127.0.0.1:0";
    System.arraycopy(flags, 0, args, 3, flags.length);
    try (LogCapture logs = LogCapture.atInfo()) {
      assertThat(Main.commandLine().execute(args)).isEqualTo(Main.EXIT_STARTUP);
      List<String> lines = logs.lines();
      assertThat(lines).noneMatch(l -> l.contains("stacktrace=") || l.startsWith("\tat "));
      return lines;
    }
  }

  private static String last(List<String> lines) {
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }

  @Test
  void anEmbeddedPortInUseIsOneLineNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String address = "127.0.0.1:" + taken.getLocalPort();
      List<String> lines =
          run(
              "kafka {\n  embedded_listen_address = \"" + address + "\"\n}\n",
              "--storage.path=" + TestGateways.tempDir());
      assertThat(lines).hasSizeLessThanOrEqualTo(2);
      assertThat(last(lines))
          .contains(" level=error ")
          .contains(
              "pyrogate could not start: embedded Kafka cannot listen on "
                  + address
                  + " (kafka embedded_listen_address)");
    }
  }

  @Test
  void unreachableBootstrapServersAreNamedInTheLastLine() throws IOException {
    String servers = "127.0.0.1:" + freePort() + "\", \"127.0.0.1:" + freePort();
    List<String> lines =
        run(
            "kafka {\n  bootstrap_servers = [\""
                + servers
                + "\"]\n}\n"
                + "pyroscope.write \"w\" {\n  endpoint {\n    url = \"http://127.0.0.1:1\"\n  }\n}\n",
            "--storage.path=" + TestGateways.tempDir());
    assertThat(lines).hasSizeLessThanOrEqualTo(4);
    assertThat(last(lines))
        .contains(" level=error ")
        .contains(
            "pyrogate could not start: Kafka at "
                + servers.replace("\", \"", ",")
                + " is unreachable");
  }

  @Test
  void anUnusableStorageDirectoryIsOneLineNamingIt() throws IOException {
    Path notADirectory = Files.createFile(TestGateways.tempDir().resolve("data"));
    List<String> lines = run("", "--storage.path=" + notADirectory);
    assertThat(lines).hasSizeLessThanOrEqualTo(2);
    assertThat(last(lines))
        .contains(" level=error ")
        .contains(
            "pyrogate could not start: cannot use storage path "
                + notADirectory.toAbsolutePath()
                + " (--storage.path): not a directory");
  }
}
