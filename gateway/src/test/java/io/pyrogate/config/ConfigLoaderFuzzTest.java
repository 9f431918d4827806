package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.syntax.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated configurations must only ever produce a configuration or a list of diagnostics
 * with positions inside the input — never another exception. Fixed seed, bounded count.
 */
class ConfigLoaderFuzzTest {
  private static final String[] FRAGMENTS = {
    "pyroscope.write",
    "pyroscope.receive_http",
    "kafka",
    "endpoint",
    "basic_auth",
    "tls_config",
    "oauth2",
    "http",
    "url",
    "\"http://x:1\"",
    "=",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\"",
    "`",
    "sys.env(\"X\")",
    "forward_to",
    "pyroscope.write.a.receiver",
    "\"a\"",
    "42",
    "-1",
    "true",
    "null",
    "\"10s\"",
    "remote_timeout",
    "headers",
    "password",
    "password_file",
    "bearer_token",
    "min_version",
    "\"TLS13\"",
    "producer",
    "\"acks\"",
    "listen_port",
    "external_labels",
    "coalesce(",
    ")",
    "//",
    "/*",
    "*/",
    "#",
    "max_backoff_retries",
    "99999999999999999999"
  };

  @Test
  void mutatedAndRandomConfigsOnlyEverProduceDiagnostics() throws IOException {
    Random random = new Random(20261125L);
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/io/pyrogate/config/golden"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".alloy")).sorted().toList()) {
        seeds.add(Files.readString(p));
      }
    }
    seeds.add(Files.readString(Path.of("../examples/quickstart.alloy")));
    int loaded = 0;
    int rejected = 0;
    for (int i = 0; i < 4000; i++) {
      String input =
          i % 4 == 3
              ? randomConfig(random)
              : mutate(seeds.get(random.nextInt(seeds.size())), random);
      for (ConfigLoader.Mode mode : ConfigLoader.Mode.values()) {
        try {
          ConfigLoader.parse("fuzz.alloy", input, Map.of("X", "http://x:1")::get, mode);
          loaded++;
        } catch (ConfigException e) {
          rejected++;
          int lines = (int) input.lines().count() + 1;
          for (Diagnostic d : e.diagnostics()) {
            assertThat(d.position().line()).as("%s in:\n%s", d, input).isBetween(1, lines);
          }
          assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException | StackOverflowError e) {
          throw new AssertionError("unexpected " + e + " for input:\n" + input, e);
        }
      }
    }
    assertThat(loaded).as("some inputs still load").isPositive();
    assertThat(rejected).as("most mutations are rejected").isGreaterThan(loaded);
  }

  private static String mutate(String seed, Random random) {
    StringBuilder s = new StringBuilder(seed);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
        default -> s.delete(at, Math.min(s.length(), at + random.nextInt(20)));
      }
    }
    return s.toString();
  }

  private static String randomConfig(Random random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(60);
    for (int i = 0; i < n; i++) {
      s.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]).append(random.nextBoolean() ? " " : "");
    }
    return s.toString();
  }
}
