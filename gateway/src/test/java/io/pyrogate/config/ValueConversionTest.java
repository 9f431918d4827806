package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alloy's value conversions where Alloy applies them, decoding a block's attributes (Alloy's {@code
 * syntax/vm} decodes each attribute with {@code syntax/internal/value/decode.go}, which converts
 * with {@code convertValue}): numbers written as strings, as Helm charts render them, and strings
 * written as numbers load; what does not convert is reported as Alloy's {@code vm} reports it
 * ({@code syntax/vm/vm_errors_test.go}: {@code test:1:7: true should be object, got bool}), at the
 * value's file:line:col.
 */
class ValueConversionTest {
  private static final Map<String, String> ENV =
      Map.of("PORT", "4041", "NOT_A_PORT", "abc", "RETRIES", "3");

  private static GatewayConfig load(String source) {
    return ConfigLoader.parse("test.alloy", source, ENV::get).config();
  }

  private static List<String> errors(String source) {
    try {
      load(source);
      throw new AssertionError("expected configuration errors");
    } catch (ConfigException e) {
      return e.diagnostics().stream()
          .filter(d -> d.severity() == Severity.ERROR)
          .map(Diagnostic::toString)
          .toList();
    }
  }

  @Test
  void numbersWrittenAsStringsAndStringsWrittenAsNumbersLoad() {
    GatewayConfig c =
        load(
            """
        kafka {
          partitions = "4"
        }
        pyroscope.receive_http "in" {
          http {
            listen_port = "4040"
            conn_limit  = "1e3"
          }
          forward_to = [pyroscope.write.a.receiver]
        }
        pyroscope.receive_http "env" {
          http {
            listen_port = sys.env("PORT")
          }
          forward_to = [pyroscope.write.a.receiver]
        }
        pyroscope.write "a" {
          endpoint {
            name                = 1
            url                 = "http://pyroscope:4040"
            max_backoff_retries = "3"
            headers             = { "X-Scope-OrgID" = 12345 }
            basic_auth {
              username = 987654
              password = "p"
            }
          }
          endpoint {
            name                = "two"
            url                 = "http://pyroscope:4041"
            max_backoff_retries = sys.env("RETRIES")
          }
          endpoint {
            name                = "three"
            url                 = "http://pyroscope:4042"
            max_backoff_retries = 2.9
          }
          external_labels = { "replica" = 1.5, "shard" = -2 }
        }
        """);
    assertThat(c.kafka().partitions()).isEqualTo(4);
    assertThat(c.receivers().get(0).server().listenPort()).isEqualTo(4040);
    assertThat(c.receivers().get(0).server().connLimit()).isEqualTo(1000);
    assertThat(c.receivers().get(1).server().listenPort()).isEqualTo(4041);
    WriteComponent a = c.write("a").orElseThrow();
    assertThat(a.externalLabels()).containsEntry("replica", "1.5").containsEntry("shard", "-2");
    Endpoint first = a.endpoints().get(0);
    assertThat(first.name()).isEqualTo("1");
    assertThat(first.maxBackoffRetries()).isEqualTo(3);
    assertThat(first.headers()).containsEntry("X-Scope-OrgID", "12345");
    assertThat(first.http().basicAuth().username()).isEqualTo("987654");
    assertThat(a.endpoints().get(1).maxBackoffRetries()).isEqualTo(3);
    assertThat(a.endpoints().get(2).maxBackoffRetries()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      not a number                 | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = "abc"\\n  }\\n} | test.alloy:3:19: error: "abc" should be number, got string
      a negative float string      | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = "-1.5"\\n  }\\n} | test.alloy:3:19: error: "-1.5" should be number, got string
      an empty string              | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = ""\\n  }\\n} | test.alloy:3:19: error: "" should be number, got string
      from the environment         | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = sys.env("NOT_A_PORT")\\n  }\\n} | test.alloy:3:19: error: sys.env("NOT_A_PORT") should be number, got string
      a bool for a number          | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    max_backoff_retries = true\\n  }\\n} | test.alloy:4:27: error: true should be number, got bool
      a converted number in range  | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = "70000"\\n  }\\n} | test.alloy:3:5: error: listen_port must be within 0-65535, got 70000
      a string for a bool          | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    retry_on_http_429 = "false"\\n  }\\n} | test.alloy:4:25: error: "false" should be bool, got string
      a number for a bool          | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    enable_http2 = 1\\n  }\\n} | test.alloy:4:20: error: 1 should be bool, got number
      an array for a string        | pyroscope.write "a" {\\n  endpoint {\\n    url = [0, 1, 2]\\n  }\\n} | test.alloy:3:11: error: [0, 1, 2] should be string, got array
      a bool for an object         | pyroscope.write "a" {\\n  external_labels = true\\n} | test.alloy:2:21: error: true should be object, got bool
      a field of an object         | pyroscope.write "a" {\\n  external_labels = { env = "prod", ok = false }\\n} | test.alloy:2:42: error: false should be string, got bool
      an element of a list         | kafka {\\n  bootstrap_servers = ["k:9092", true]\\n} | test.alloy:2:34: error: true should be string, got bool
      an element not written       | kafka {\\n  bootstrap_servers = coalesce([], [true])\\n} | test.alloy:2:23: error: coalesce([], [true])[0] should be string, got bool
      a number for a duration      | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    remote_timeout = 10\\n  }\\n} | test.alloy:4:22: error: attribute "remote_timeout" of pyroscope.write "a" endpoint: invalid duration "10": missing unit after 10 (valid units are ns, us, µs, ms, s, m, h)
      a number for a secret        | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    bearer_token = 123456\\n  }\\n} | test.alloy:4:20: error: bearer_token should be capsule, got number
      a number in a secret list    | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    http_headers = { "X-Key" = [123456] }\\n  }\\n} | test.alloy:4:33: error: http_headers.X-Key[0] should be capsule, got number
      a string for a secret list   | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    http_headers = { "X-A" = "one" }\\n  }\\n} | test.alloy:4:30: error: "one" should be array, got string
      a string for forward_to      | pyroscope.receive_http "r" {\\n  forward_to = "pyroscope.write.a.receiver"\\n} | test.alloy:2:16: error: "pyroscope.write.a.receiver" should be array, got string
      """)
  void whatDoesNotConvertIsReportedInAlloysWords(String name, String source, String expected) {
    List<String> errors = errors(source.replace("\\n", "\n"));
    assertThat(errors).anySatisfy(e -> assertThat(e).isEqualTo(expected));
  }

  @Test
  void aSecretWrittenAsANumberIsNotShownInTheMessage() {
    assertThatThrownBy(
            () ->
                load(
                    """
            pyroscope.write "a" {
              endpoint {
                url = "http://x"
                basic_auth {
                  username = "u"
                  password = 31415926
                }
              }
            }
            """))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).diagnostics())
                    .extracting(Diagnostic::message)
                    .containsExactly("password should be capsule, got number")
                    .noneMatch(m -> m.contains("31415926")));
  }

  /**
   * A configuration as Helm charts render it, every value a quoted string, passes {@code validate}
   * (its golden output is checked by ValidateGoldenTest) and decodes to the numbers it means.
   */
  @Test
  void aHelmRenderedConfigurationLoadsWithItsNumbers() {
    GatewayConfig c =
        ConfigLoader.load(
                Path.of("src/test/resources/io/pyrogate/config/golden/helm-rendered.alloy"),
                Map.of("GRAFANA_CLOUD_TOKEN", "t")::get,
                ConfigLoader.Mode.VALIDATE)
            .config();
    assertThat(c.receivers().get(0).server().listenPort()).isEqualTo(4040);
    assertThat(c.receivers().get(0).server().connLimit()).isEqualTo(100);
    assertThat(c.receivers().get(0).server().readTimeout()).isEqualTo(Duration.ofSeconds(30));
    Endpoint e = c.write("grafana_cloud").orElseThrow().endpoints().get(0);
    assertThat(e.maxBackoffRetries()).isEqualTo(3);
    assertThat(e.http().basicAuth().username()).isEqualTo("123456");
    assertThat(e.headers()).containsEntry("X-Scope-OrgID", "123456");
  }
}
