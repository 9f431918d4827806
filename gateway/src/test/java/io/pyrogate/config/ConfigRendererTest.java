package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {

  private static GatewayConfig load(String source) {
    return ConfigLoader.parse("test.alloy", source, Map.<String, String>of()::get).config();
  }

  @Test
  void theRenderedConfigurationLoadsBackToTheSameConfiguration() {
    GatewayConfig config =
        load(
            """
        kafka {
          bootstrap_servers = ["k1:9092", "k2:9092"]
          topic_prefix      = "prof."
          producer          = { "linger.ms" = "20" }
        }
        pyroscope.receive_http "in" {
          http {
            listen_port = 4040
            conn_limit  = 100
            server_read_timeout = "1m30s"
          }
          forward_to = [pyroscope.write.a.receiver]
        }
        pyroscope.write "a" {
          endpoint {
            url                 = "https://pyro:4040/base"
            remote_timeout      = "2500ms"
            headers             = { "X-Scope-OrgID" = "squad \\"1\\"" }
            max_backoff_retries = 0
            retry_on_http_429   = false
            enable_http2        = false
            start_from          = "6h"
            tenant_send_rate    = "1.5MiB"
          }
          endpoint {
            url        = "https://other:4040"
            start_from = "2026-11-25T10:00:00.250+01:00"
          }
          endpoint {
            url        = "https://third:4040"
            start_from = "earliest"
          }
          external_labels = { env = "prod" }
        }
        """);
    String rendered = ConfigRenderer.render(config);
    assertThat(load(rendered)).isEqualTo(config);
  }

  @Test
  void secretsAreShownAsSecretAndCredentialsInUrlsAreMasked() {
    GatewayConfig config =
        load(
            """
        kafka {
          bootstrap_servers = ["k1:9093"]
          sasl {
            username = "svc"
            password = "kafka-pw-hunter2"
          }
        }
        pyroscope.write "a" {
          endpoint {
            url     = "https://user:url-pw-hunter2@pyro:4040"
            headers = { "Authorization" = "Bearer hdr-hunter2", "X-Scope-OrgID" = "t1" }
            basic_auth {
              username      = "u"
              password      = "basic-hunter2"
            }
            http_headers = { "X-Api-Key" = ["key-hunter2"] }
          }
        }
        """);
    String rendered = ConfigRenderer.render(config);
    assertThat(rendered)
        .doesNotContain("hunter2")
        .contains("password = (secret)")
        .contains("\"Authorization\" = (secret)")
        .contains("\"X-Scope-OrgID\" = \"t1\"")
        .contains("https://user:***@pyro:4040")
        .contains("\"X-Api-Key\" = [(secret)]");
  }

  @Test
  void endpointParamsAndKafkaPasswordPropertiesAreShownAsSecretAndTokenOnlyUserInfoIsMasked() {
    GatewayConfig config =
        load(
            """
        kafka {
          bootstrap_servers = ["k1:9093"]
          producer = { "ssl.key.password" = "key-pw-hunter2", "linger.ms" = "20" }
          consumer = { "sasl.jaas.config" = "PlainLoginModule required password=\\"jaas-hunter2\\";" }
        }
        pyroscope.write "a" {
          endpoint {
            url = "https://token-hunter2@pyro:4040"
            oauth2 {
              client_id       = "id"
              client_secret   = "client-hunter2"
              token_url       = "https://auth.example/token"
              endpoint_params = { "api_key" = "param-hunter2", "audience" = "pyroscope" }
            }
          }
        }
        """);
    String rendered = ConfigRenderer.render(config);
    assertThat(rendered)
        .doesNotContain("hunter2")
        .contains("\"ssl.key.password\" = (secret)")
        .contains("\"linger.ms\" = \"20\"")
        .contains("\"sasl.jaas.config\" = (secret)")
        .contains("\"api_key\" = (secret)")
        .contains("https://***@pyro:4040");
    assertThat(config.toString()).doesNotContain("hunter2");
  }
}
