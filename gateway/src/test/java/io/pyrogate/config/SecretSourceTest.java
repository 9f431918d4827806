package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

  @TempDir Path dir;

  @Test
  void anInlineSecretIsReadAsGivenAndNeverShown() throws IOException {
    SecretSource s = SecretSource.inline(new Secret("hunter2"));
    assertThat(s.read()).isEqualTo("hunter2");
    assertThat(s.file()).isNull();
    assertThat(s).hasToString(Secret.SHOWN);
    assertThat(s).isEqualTo(SecretSource.inline(new Secret("hunter2")));
  }

  @Test
  void aFileIsReadAtEachUseAsItIsAndShownByItsPath() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "one\n");
    SecretSource s = SecretSource.file(file);
    assertThat(s.read()).isEqualTo("one\n");
    Files.writeString(file, "two");
    assertThat(s.read()).isEqualTo("two");
    assertThat(s.file()).isEqualTo(file);
    assertThat(s).hasToString(file.toString());
  }

  @Test
  void aMissingFileFailsTheRead() {
    SecretSource s = SecretSource.file(dir.resolve("absent"));
    assertThatThrownBy(s::read).isInstanceOf(IOException.class);
  }

  @Test
  void everyValueOrFilePairDecodesToOneSource() {
    GatewayConfig config =
        ConfigLoader.parse(
                "test.alloy",
                """
        kafka {
          bootstrap_servers = ["k:9093"]
          sasl {
            username = "svc"
            password_file = "/run/kafka"
          }
          tls_config {
            ca_pem = "PEM"
            key_file = "/run/key"
            cert_file = "/run/cert"
          }
        }
        pyroscope.write "w" {
          endpoint {
            url = "https://a.example"
            bearer_token_file = "/run/token"
          }
          endpoint {
            url = "https://b.example"
            basic_auth {
              username = "u"
              password = "pw"
            }
          }
          endpoint {
            url = "https://c.example"
            authorization {
              credentials_file = "/run/credentials"
            }
          }
          endpoint {
            url = "https://e.example"
            oauth2 {
              client_id = "id"
              client_secret = "cs"
              token_url = "https://auth.example/token"
            }
          }
          endpoint {
            url = "https://d.example"
            basic_auth {
              username = "u"
            }
          }
        }
        """,
                name -> null,
                ConfigLoader.Mode.VALIDATE)
            .config();
    KafkaSettings kafka = config.kafka();
    assertThat(kafka.sasl().password()).isEqualTo(SecretSource.file(Path.of("/run/kafka")));
    assertThat(kafka.tls().ca()).isEqualTo(SecretSource.inline(new Secret("PEM")));
    assertThat(kafka.tls().cert()).isEqualTo(SecretSource.file(Path.of("/run/cert")));
    assertThat(kafka.tls().key()).isEqualTo(SecretSource.file(Path.of("/run/key")));
    var endpoints = config.writes().get(0).endpoints();
    assertThat(endpoints.get(0).http().bearerToken())
        .isEqualTo(SecretSource.file(Path.of("/run/token")));
    assertThat(endpoints.get(1).http().basicAuth().password())
        .isEqualTo(SecretSource.inline(new Secret("pw")));
    assertThat(endpoints.get(2).http().authorization().credentials())
        .isEqualTo(SecretSource.file(Path.of("/run/credentials")));
    assertThat(endpoints.get(3).http().oauth2().clientSecret())
        .isEqualTo(SecretSource.inline(new Secret("cs")));
    assertThat(endpoints.get(4).http().basicAuth().password()).isNull();
  }
}
