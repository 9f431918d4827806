package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code pyrogate validate} on real Alloy files and on broken ones, compared with the expected
 * output in {@code golden/NAME.golden} (exit code, stdout, stderr). Regenerate after a deliberate
 * change with {@code scripts/test -Dtest=ValidateGoldenTest -Dgolden.update=true} and review the
 * diff.
 */
class ValidateGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/io/pyrogate/config/golden");

  static Stream<Path> configs() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".alloy")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void validateOutputMatchesTheGoldenFile(Path config) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("validate", config.toString());

    String actual = "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    Path golden = Path.of(config.toString().replace(".alloy", ".golden"));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }
}
