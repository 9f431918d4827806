package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.syntax.Diagnostic;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  private static ConfigLoader.Result load(String source) {
    return ConfigLoader.parse(
        "test.alloy", source, Map.of("PYRO_URL", "http://pyro.example:4040", "EMPTY", "")::get);
  }

  private static List<String> errors(String source) {
    try {
      load(source);
      throw new AssertionError("expected configuration errors");
    } catch (ConfigException e) {
      return e.diagnostics().stream()
          .filter(d -> d.severity() == io.pyrogate.config.syntax.Severity.ERROR)
          .map(Diagnostic::toString)
          .toList();
    }
  }

  @Test
  void theIssueExampleDecodesWithDocumentedDefaults() {
    GatewayConfig c =
        load("""
        kafka {
          // no bootstrap_servers: embedded broker
        }

        pyroscope.receive_http "default" {
          http {
            listen_address = "127.0.0.1"
            listen_port    = 4040
          }
          forward_to = [pyroscope.write.staging.receiver]
        }

        pyroscope.write "staging" {
          endpoint {
            url = "http://localhost:4041"
          }
        }
        """)
            .config();

    assertThat(c.kafka()).isEqualTo(KafkaSettings.defaults());
    assertThat(c.kafka().embedded()).isTrue();
    assertThat(c.receivers())
        .containsExactly(
            new ReceiveHttpComponent(
                "default",
                ReceiveHttpComponent.HttpServerConfig.defaults().at("127.0.0.1", 4040),
                List.of("staging")));
    assertThat(c.writes()).hasSize(1);
    Endpoint e = c.writes().get(0).endpoints().get(0);
    assertThat(e.url()).isEqualTo(URI.create("http://localhost:4041"));
    assertThat(e.name()).isEqualTo("localhost_4041");
    assertThat(e.remoteTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(e.minBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(e.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
    assertThat(e.maxBackoffRetries()).isEqualTo(10);
  }

  @Test
  void readsEveryArgumentItKnows() {
    GatewayConfig c =
        load("""
        kafka {
          bootstrap_servers  = ["k1:9092", "k2:9093"]
          topic_prefix       = "profiles."
          partitions         = 12
          replication_factor = 3
        }
        pyroscope.receive_http "in" {
          forward_to = [pyroscope.write.a.receiver, pyroscope.write.b.receiver]
        }
        pyroscope.write "a" {
          endpoint {
            name                = "primary"
            url                 = sys.env("PYRO_URL")
            remote_timeout      = "3s"
            headers             = { "X-Scope-OrgID" = "squad-1" }
            min_backoff_period  = "100ms"
            max_backoff_period  = "1m30s"
            max_backoff_retries = 0
          }
          endpoint {
            url = "https://other.example/prefix/"
          }
          external_labels = { "env" = "staging" }
        }
        pyroscope.write "b" { }
        """)
            .config();

    assertThat(c.kafka().bootstrapServers()).containsExactly("k1:9092", "k2:9093");
    assertThat(c.kafka().topicPrefix()).isEqualTo("profiles.");
    assertThat(c.kafka().partitions()).isEqualTo(12);
    assertThat(c.kafka().replicationFactor()).isEqualTo((short) 3);
    assertThat(c.receivers().get(0).server())
        .isEqualTo(ReceiveHttpComponent.HttpServerConfig.defaults());
    assertThat(c.receivers().get(0).forwardTo()).containsExactly("a", "b");
    WriteComponent a = c.write("a").orElseThrow();
    assertThat(a.externalLabels()).containsEntry("env", "staging");
    assertThat(a.endpoints().get(0))
        .isEqualTo(
            Endpoint.defaults("primary", URI.create("http://pyro.example:4040"))
                .withRemoteTimeout(Duration.ofSeconds(3))
                .withHeaders(Map.of("X-Scope-OrgID", "squad-1"))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(90), 0));
    assertThat(a.endpoints().get(1).name()).isEqualTo("other.example_prefix");
    assertThat(c.write("b").orElseThrow().endpoints()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      unknown attribute with suggestion | pyroscope.write "a" {\\n  endpoint {\\n    urll = "http://x"\\n  }\\n} | test.alloy:3:5: error: unrecognized attribute "urll" in pyroscope.write "a" endpoint; did you mean "url"?
      missing url                       | pyroscope.write "a" {\\n  endpoint {\\n  }\\n} | test.alloy:2:3: error: missing required attribute "url" in pyroscope.write "a" endpoint
      bad scheme                        | pyroscope.write "a" {\\n  endpoint {\\n    url = "ftp://x"\\n  }\\n} | test.alloy:3:5: error: url "ftp://x" must start with http:// or https://
      bad duration                      | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    remote_timeout = "5d"\\n  }\\n} | test.alloy:4:22: error: attribute "remote_timeout" of pyroscope.write "a" endpoint: invalid duration "5d": unknown unit "d" (valid units are ns, us, µs, ms, s, m, h)
      wrong type                        | pyroscope.write "a" {\\n  endpoint {\\n    url = true\\n  }\\n} | test.alloy:3:11: error: true should be string, got bool
      backoff order                     | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    min_backoff_period = "2s"\\n    max_backoff_period = "1s"\\n  }\\n} | test.alloy:5:5: error: max_backoff_period (PT1S) must not be less than min_backoff_period (PT2S)
      negative retries                  | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    max_backoff_retries = -1\\n  }\\n} | test.alloy:4:5: error: max_backoff_retries must be 0 (retry forever) or more, got -1
      duplicate endpoint name           | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    name = "n"\\n  }\\n  endpoint {\\n    url = "http://y"\\n    name = "n"\\n  }\\n} | test.alloy:6:3: error: endpoint name "n" is already used in pyroscope.write "a" at test.alloy:2:3; give each endpoint a distinct name
      duplicate component               | pyroscope.write "a" {\\n}\\npyroscope.write "a" {\\n} | test.alloy:3:1: error: component pyroscope.write "a" is already defined at test.alloy:1:1
      missing label                     | pyroscope.write {\\n} | test.alloy:1:1: error: component "pyroscope.write" needs a label, e.g. pyroscope.write "default" { ... }
      unknown component                 | pyroscope.wirte "a" {\\n} | test.alloy:1:1: error: unknown component or block "pyroscope.wirte"; did you mean "pyroscope.write"?
      forward_to undefined write        | pyroscope.receive_http "r" {\\n  forward_to = [pyroscope.write.nope.receiver]\\n} | test.alloy:2:17: error: forward_to of pyroscope.receive_http "r" names pyroscope.write "nope", which is not defined
      forward_to foreign component      | pyroscope.enrich "f" {\\n}\\npyroscope.receive_http "r" {\\n  forward_to = [pyroscope.enrich.f.receiver]\\n} | test.alloy:4:17: error: forward_to of pyroscope.receive_http "r" names pyroscope.enrich.f.receiver, but pyrogate does not run pyroscope.enrich.f: its profiles would go nowhere; forward to a pyroscope.write receiver
      port out of range                 | pyroscope.receive_http "r" {\\n  http {\\n    listen_port = 70000\\n  }\\n} | test.alloy:3:5: error: listen_port must be within 0-65535, got 70000
      kafka twice                       | kafka {\\n}\\nkafka {\\n} | test.alloy:3:1: error: block "kafka" may only be specified once (first at test.alloy:1:1)
      bad bootstrap server              | kafka {\\n  bootstrap_servers = ["nohost"]\\n} | test.alloy:2:3: error: bootstrap_servers entry "nohost" must be HOST:PORT
      url from a foreign component      | pyroscope.write "a" {\\n  endpoint {\\n    url = remote.kubernetes.secret.creds.data["url"]\\n  }\\n} | test.alloy:3:11: error: attribute "url" of pyroscope.write "a" endpoint depends on remote.kubernetes.secret.creds.data["url"], a component pyrogate does not run; set the value directly or with sys.env("...")
      two auth methods                  | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    bearer_token = "t"\\n    basic_auth {\\n      username = "u"\\n      password = "p"\\n    }\\n  }\\n} | test.alloy:2:3: error: at most one of basic_auth, authorization, oauth2, bearer_token & bearer_token_file must be configured in pyroscope.write "a" endpoint; found basic_auth, bearer_token
      password and password_file        | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    basic_auth {\\n      username = "u"\\n      password = "p"\\n      password_file = "/p"\\n    }\\n  }\\n} | test.alloy:7:7: error: at most one of basic_auth password & password_file must be configured
      credentials and credentials_file  | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    authorization {\\n      credentials_file = "/c"\\n      credentials = "c"\\n    }\\n  }\\n} | test.alloy:6:7: error: at most one of authorization credentials & credentials_file must be configured
      authorization type basic          | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    authorization {\\n      type = "Basic"\\n      credentials = "c"\\n    }\\n  }\\n} | test.alloy:5:7: error: authorization type cannot be set to "basic", use "basic_auth" instead
      client_secret and its file        | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    oauth2 {\\n      client_id = "id"\\n      client_secret = "s"\\n      client_secret_file = "/s"\\n      token_url = "https://auth/token"\\n    }\\n  }\\n} | test.alloy:7:7: error: at most one of oauth2 client_secret & client_secret_file must be configured
      oauth2 without token_url          | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    oauth2 {\\n      client_id = "id"\\n    }\\n  }\\n} | test.alloy:4:5: error: missing required attribute "token_url" in pyroscope.write "a" endpoint oauth2
      ca_pem and ca_file                | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      ca_pem = "PEM"\\n      ca_file = "/ca"\\n    }\\n  }\\n} | test.alloy:6:7: error: at most one of tls_config ca_pem & ca_file must be configured
      cert_pem and cert_file            | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      cert_pem = "PEM"\\n      cert_file = "/c"\\n      key_file = "/k"\\n    }\\n  }\\n} | test.alloy:6:7: error: at most one of tls_config cert_pem & cert_file must be configured
      key_pem and key_file              | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      cert_file = "/c"\\n      key_file = "/k"\\n      key_pem = "PEM"\\n    }\\n  }\\n} | test.alloy:7:7: error: at most one of tls_config key_pem & key_file must be configured
      client cert without key           | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      cert_file = "/c"\\n    }\\n  }\\n} | test.alloy:5:7: error: exactly one of key_pem or key_file must be configured if a client certificate is configured
      client key without cert           | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      key_pem = "PEM"\\n    }\\n  }\\n} | test.alloy:5:7: error: exactly one of cert_pem or cert_file must be configured if a client key is configured
      min_version unknown               | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    tls_config {\\n      min_version = "TLS14"\\n    }\\n  }\\n} | test.alloy:5:7: error: unrecognized TLS version "TLS14"; min_version must be one of "TLS10", "TLS11", "TLS12", "TLS13"
      proxy_url with environment        | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    proxy_from_environment = true\\n    proxy_url = "http://proxy:3128"\\n  }\\n} | test.alloy:5:5: error: if proxy_from_environment is configured, proxy_url must not be configured
      no_proxy with environment         | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    proxy_from_environment = true\\n    no_proxy = "10.0.0.0/8"\\n  }\\n} | test.alloy:5:5: error: if proxy_from_environment is configured, no_proxy must not be configured
      no_proxy without proxy_url        | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    no_proxy = "localhost"\\n  }\\n} | test.alloy:4:5: error: if no_proxy is configured, proxy_url must also be configured
      connect header without proxy      | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    proxy_connect_header = { "Proxy-Authorization" = ["Basic xyz"] }\\n  }\\n} | test.alloy:4:5: error: if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured
      oauth2 proxy rules too            | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    oauth2 {\\n      token_url = "https://auth/token"\\n      no_proxy = "localhost"\\n    }\\n  }\\n} | test.alloy:6:7: error: if no_proxy is configured, proxy_url must also be configured
      custom connect header             | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    proxy_url = "http://proxy:3128"\\n    proxy_connect_header = { "X-Proxy-Tenant" = ["t1"] }\\n  }\\n} | test.alloy:5:5: error: proxy_connect_header "X-Proxy-Tenant" is not supported: pyrogate
      non-Basic proxy authorization     | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    proxy_url = "http://proxy:3128"\\n    proxy_connect_header = { "Proxy-Authorization" = ["Bearer abc"] }\\n  }\\n} | test.alloy:5:5: error: proxy_connect_header "Proxy-Authorization" must be exactly one value "Basic <base64 of user:password>"
      two proxy authorizations          | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    proxy_from_environment = true\\n    proxy_connect_header = { "Proxy-Authorization" = ["Basic dTpw", "Basic dTpw"] }\\n  }\\n} | test.alloy:5:5: error: proxy_connect_header "Proxy-Authorization" must be exactly one value
      https proxy                       | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    proxy_url = "https://u:pw@proxy:3128"\\n  }\\n} | test.alloy:4:5: error: proxy_url "https://u:***@proxy:3128": a proxy reached over TLS (https://) is not supported
      ftp proxy                         | pyroscope.write "a" {\\n  endpoint {\\n    url = "https://x"\\n    proxy_url = "ftp://proxy:21"\\n  }\\n} | test.alloy:4:5: error: proxy_url "ftp://proxy:21" has an unsupported scheme; use http:// (an HTTP proxy) or socks5://
      oauth2 scope twice                | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    oauth2 {\\n      token_url = "https://auth/token"\\n      scopes = ["a"]\\n      endpoint_params = { "scope" = "b" }\\n    }\\n  }\\n} | test.alloy:7:7: error: oauth2 endpoint_params cannot overwrite parameter "scope", which scopes sets
      oauth2 token_url scheme           | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    oauth2 {\\n      token_url = "ftp://auth/token"\\n    }\\n  }\\n} | test.alloy:5:7: error: token_url "ftp://auth/token" must start with http:// or https://
      bad http_headers type             | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    http_headers = { "X-A" = "one" }\\n  }\\n} | test.alloy:4:30: error: "one" should be array, got string
      pinned producer key               | kafka {\\n  bootstrap_servers = ["k:9092"]\\n  producer = { "acks" = "1" }\\n} | test.alloy:3:3: error: kafka producer property "acks" cannot be overridden
      unknown consumer key              | kafka {\\n  bootstrap_servers = ["k:9092"]\\n  consumer = { "fetch.max.byte" = "1" }\\n} | test.alloy:3:3: error: kafka consumer property "fetch.max.byte" is not a kafka-clients consumer setting; did you mean "fetch.max.bytes"?
      sasl mechanism                    | kafka {\\n  bootstrap_servers = ["k:9092"]\\n  sasl {\\n    mechanism = "GSSAPI"\\n    username = "u"\\n    password = "p"\\n  }\\n} | test.alloy:4:5: error: sasl mechanism "GSSAPI" is not supported; use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
      sasl without password             | kafka {\\n  bootstrap_servers = ["k:9092"]\\n  sasl {\\n    username = "u"\\n  }\\n} | test.alloy:3:3: error: kafka sasl needs password or password_file
      security on the embedded broker   | kafka {\\n  sasl {\\n    username = "u"\\n    password = "p"\\n  }\\n} | test.alloy:1:1: error: tls_config and sasl secure the connection to your cluster; set bootstrap_servers too
      receive_kafka without brokers     | pyroscope.receive_kafka "k" {\\n  topics = ["t"]\\n} | test.alloy:1:1: error: pyroscope.receive_kafka "k" needs brokers
      receive_kafka bad auth type       | pyroscope.receive_kafka "k" {\\n  brokers = ["k:9092"]\\n  topics = ["t"]\\n  authentication {\\n    type = "kerberos"\\n  }\\n} | test.alloy:5:5: error: authentication type "kerberos" is not one of "none", "sasl", "ssl"
      attribute set twice               | pyroscope.write "a" {\\n  endpoint {\\n    url = "http://x"\\n    url = "http://y"\\n  }\\n} | test.alloy:4:5: error: attribute "url" may only be set once in pyroscope.write "a" endpoint (first set at test.alloy:3:5)
      """)
  void reportsEachMistakeWithItsPosition(String name, String source, String expected) {
    List<String> errors = errors(source.replace("\\n", "\n"));
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith(expected));
  }

  @Test
  void readsAKafkaSourceWithSaslOverTls() {
    GatewayConfig c =
        load("""
        pyroscope.receive_kafka "users" {
          brokers  = ["k1:9093"]
          topics   = ["profiles"]
          authentication {
            type = "sasl"
            sasl_config {
              mechanism = "SCRAM-SHA-256"
              user      = "svc"
              password  = "pw"
              use_tls   = true
            }
          }
          forward_to = [pyroscope.write.a.receiver]
        }
        pyroscope.write "a" { }
        """)
            .config();
    ReceiveKafkaComponent k = c.kafkaSources().get(0);
    assertThat(k.brokers()).containsExactly("k1:9093");
    assertThat(k.topics()).containsExactly("profiles");
    assertThat(k.groupId()).isEqualTo("pyrogate.receive_kafka.users");
    assertThat(k.sasl().mechanism()).isEqualTo("SCRAM-SHA-256");
    assertThat(k.sasl().username()).isEqualTo("svc");
    assertThat(k.tls()).isEqualTo(TlsConfig.defaults());
    assertThat(k.forwardTo()).containsExactly("a");
    assertThat(c.summary())
        .isEqualTo(
            "1 pyroscope.write (0 endpoints), 0 pyroscope.receive_http, 1 pyroscope.receive_kafka, kafka embedded");
  }

  @Test
  void reportsEveryErrorAtOnce() {
    List<String> errors =
        errors(
            """
        pyroscope.write "a" {
          endpoint {
            url = "ftp://x"
            remote_timeout = "soon"
          }
          bogus = 1
        }
        pyroscope.receive_http "r" {
          forward_to = [pyroscope.write.b.receiver]
        }
        """);
    assertThat(errors).hasSize(4);
    assertThat(errors)
        .extracting(s -> s.substring(0, s.indexOf(": error")))
        .containsExactlyInAnyOrder(
            "test.alloy:3:5", "test.alloy:4:22", "test.alloy:6:3", "test.alloy:9:17");
  }

  @Test
  void componentsPyrogateDoesNotRunAreWarningsSoAWholeAlloyFileLoads() {
    ConfigLoader.Result r =
        load(
            """
        logging {
          level = "debug"
        }
        pyroscope.write "staging" {
          // Send profiles to a locally running Pyroscope instance.
          endpoint {
            url = "http://pyroscope:4040"
            headers = {
              "X-Scope-OrgID" = "squad-1",
            }
          }
          external_labels = {
            "env" = "staging",
          }
        }

        pyroscope.scrape "default" {
          targets = [
            {"__address__" = "pyroscope:4040", "service_name"="pyroscope"},
            {"__address__" = "alloy:12345", "service_name"="alloy"},
          ]
          forward_to = [pyroscope.write.staging.receiver]
        }
        """);
    assertThat(r.config().writes()).hasSize(1);
    assertThat(r.config().logging().level()).isEqualTo(LoggingSettings.Level.DEBUG);
    assertThat(r.diagnostics().warnings())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "test.alloy:17:1: warning: pyrogate does not run \"pyroscope.scrape\"; the block is ignored");
  }

  @Test
  void theLoggingBlockIsAlloysLevelAndFormatWithItsDefaults() {
    assertThat(load("").config().logging()).isEqualTo(LoggingSettings.defaults());
    assertThat(load("logging {\n  format = \"json\"\n}\n").config().logging())
        .isEqualTo(new LoggingSettings(LoggingSettings.Level.INFO, LoggingSettings.Format.JSON));
    assertThat(
            load("logging {\n  level = \"error\"\n  format = \"logfmt\"\n}\n").config().logging())
        .isEqualTo(new LoggingSettings(LoggingSettings.Level.ERROR, LoggingSettings.Format.LOGFMT));
  }

  @Test
  void theLoggingBlockRefusesUnknownLevelsAndFormats() {
    assertThat(
            errors("logging {\n  level = \"verbose\"\n  format = \"text\"\n  colour = true\n}\n"))
        .containsExactly(
            "test.alloy:2:3: error: logging level \"verbose\" is not valid; use one of \"debug\", \"info\", \"warn\", \"error\"",
            "test.alloy:3:3: error: logging format \"text\" is not valid; use one of \"logfmt\", \"json\"",
            "test.alloy:4:3: error: unrecognized attribute \"colour\" in logging");
    assertThat(errors("logging {\n}\nlogging {\n}\n"))
        .containsExactly(
            "test.alloy:3:1: error: block \"logging\" may only be specified once (first at test.alloy:1:1)");
  }

  @Test
  void loggingWriteToIsAcceptedWithAWarningAsPyrogateLogsToStandardErrorOnly() {
    ConfigLoader.Result r =
        load(
            """
        logging {
          level    = "warn"
          write_to = [loki.write.default.receiver]
        }
        loki.write "default" {
          endpoint {
            url = "http://loki:3100/loki/api/v1/push"
          }
        }
        """);
    assertThat(r.config().logging().level()).isEqualTo(LoggingSettings.Level.WARN);
    assertThat(r.diagnostics().warnings())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "test.alloy:3:3: warning: pyrogate does not forward its logs to other components; write_to is ignored and logs go to standard error only",
            "test.alloy:5:1: warning: pyrogate does not run \"loki.write\"; the block is ignored");
  }

  @Test
  void secretsNeverAppearInErrorsOrToString() {
    String source =
        """
        pyroscope.write "a" {
          endpoint {
            url = "http://user:hunter2pw@x"
            bearer_token = "tok-hunter2"
            basic_auth {
              username = "u"
              password = "pw-hunter2"
              password_file = "/run/secret"
            }
            http_headers = { "X-Key" = ["key-hunter2"] }
          }
          bogus = "hunter2"
        }
        """;
    try {
      load(source);
      throw new AssertionError("expected errors");
    } catch (ConfigException e) {
      String shown = e.getMessage().replace("bogus = \"hunter2\"", "");
      assertThat(e.diagnostics())
          .extracting(Diagnostic::toString)
          .noneMatch(d -> d.contains("hunter2"));
      assertThat(shown).contains("at most one of basic_auth, authorization, oauth2, bearer_token");
    }
    GatewayConfig ok =
        load("""
        pyroscope.write "a" {
          endpoint {
            url = "http://user:pw-hunter2@x"
            basic_auth {
              username = "u"
              password = "pw-hunter2"
            }
            http_headers = { "X-Key" = ["key-hunter2"] }
          }
        }
        """)
            .config();
    assertThat(ok.toString()).doesNotContain("hunter2").contains("user:***@x");
  }

  @Test
  void readsTheHttpClientArguments() {
    Endpoint e =
        load("""
        pyroscope.write "a" {
          endpoint {
            url = "https://x"
            enable_http2 = false
            follow_redirects = false
            retry_on_http_429 = false
            authorization {
              type = "Token"
              credentials = sys.env("PYRO_URL")
            }
            http_headers = { "X-A" = ["1", "2"] }
          }
        }
        """)
            .config()
            .writes()
            .get(0)
            .endpoints()
            .get(0);
    assertThat(e.retryOnHttp429()).isFalse();
    assertThat(e.http().enableHttp2()).isFalse();
    assertThat(e.http().followRedirects()).isFalse();
    assertThat(e.http().authorization().type()).isEqualTo("Token");
    assertThat(e.http().authorization().credentials())
        .isEqualTo(SecretSource.inline(new Secret("http://pyro.example:4040")));
    assertThat(e.http().httpHeaders().get("X-A"))
        .extracting(Secret::reveal)
        .containsExactly("1", "2");
  }

  @Test
  void readsTlsProxyAndOAuth2ArgumentsThatPyrogateApplies() {
    Endpoint e =
        load("""
        pyroscope.write "a" {
          endpoint {
            url = "https://pyroscope.example"
            proxy_url = "http://user:proxy-hunter2@proxy.example:3128"
            no_proxy = "10.0.0.0/8,.internal"
            proxy_connect_header = { "Proxy-Authorization" = ["Basic dXNlcjpwdw=="] }
            oauth2 {
              client_id = "id"
              client_secret_file = "/run/secret"
              scopes = ["read", "write"]
              token_url = "https://auth.example/token"
              endpoint_params = { "audience" = "pyroscope" }
              proxy_from_environment = true
              tls_config {
                insecure_skip_verify = true
              }
            }
            tls_config {
              ca_file = "/etc/ca.crt"
              cert_file = "/etc/client.crt"
              key_file = "/etc/client.key"
              server_name = "pyroscope.internal"
              min_version = "TLS13"
            }
          }
        }
        """)
            .config()
            .writes()
            .get(0)
            .endpoints()
            .get(0);
    assertThat(e.http().proxy().proxyUrl())
        .isEqualTo(URI.create("http://user:proxy-hunter2@proxy.example:3128"));
    assertThat(e.http().proxy().noProxy()).isEqualTo("10.0.0.0/8,.internal");
    assertThat(e.http().proxy().connectHeaderCredentials())
        .hasValueSatisfying(
            c -> {
              assertThat(c.username()).isEqualTo("user");
              assertThat(c.password().reveal()).isEqualTo("pw");
            });
    assertThat(e.http().tls())
        .isEqualTo(
            new TlsConfig(
                SecretSource.file(Path.of("/etc/ca.crt")),
                SecretSource.file(Path.of("/etc/client.crt")),
                SecretSource.file(Path.of("/etc/client.key")),
                "pyroscope.internal",
                false,
                "TLS13"));
    HttpClientConfig.OAuth2 o = e.http().oauth2();
    assertThat(o.clientSecret()).isEqualTo(SecretSource.file(Path.of("/run/secret")));
    assertThat(o.scopes()).containsExactly("read", "write");
    assertThat(o.endpointParams()).containsEntry("audience", "pyroscope");
    assertThat(o.proxy().fromEnvironment()).isTrue();
    assertThat(o.tls().insecureSkipVerify()).isTrue();
    assertThat(e.toString()).doesNotContain("proxy-hunter2").contains("user:***@proxy.example");
  }

  @Test
  void secretsInHeadersNeverAppearInToString() {
    GatewayConfig c =
        load("""
        pyroscope.write "a" {
          endpoint {
            url = "http://x"
            headers = { "Authorization" = "Bearer s3cr3t-token" }
          }
        }
        """)
            .config();
    assertThat(c.toString()).doesNotContain("s3cr3t").contains("Authorization");
  }

  @Test
  void syntaxErrorsComeWithTheLineAndACaret() {
    assertThatThrownBy(() -> load("pyroscope.write \"a\" {\n  # comment\n}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.alloy:2:3")
        .hasMessageContaining("# comment");
  }

  @Test
  void errorsAndWarningsShowTheirSourceLinesWithoutTheSecretsOnThem() {
    String source =
        """
        kafka {
          bootstrap_servers = ["k:9093"]
          producer = { "ssl.key.password" = "kp-hunter2", "linger.mz" = "5" }
        }
        logging { level = "debug" }
        pyroscope.write "a" {
          endpoint {
            url = "https://tok-hunter2@pyro?q=1"
            bearer_token = "bt-hunter2" bearer_token_file = "/f"
            http_headers = {
              "X-Key" = ["hh-hunter2"], "X-Scope-OrgID" = 3,
            }
            headers = { "X-Auth" = "h-hunter2", "X-Scope-OrgID" = true }
            oauth2 {
              client_id = "id"
              client_secret = "cs-hunter2"
              token_url = "https://auth"
              endpoint_params = { "k" = "ep-hunter2", "n" = true }
              scopes = ["a"] client_secret_file = "/f"
            }
          }
        }
        """;
    assertThatThrownBy(
            () -> ConfigLoader.parse("test.alloy", source, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("test.alloy:3:")
                    .contains("test.alloy:8:")
                    .contains("test.alloy:9:")
                    .contains("test.alloy:11:")
                    .contains("test.alloy:13:")
                    .contains("test.alloy:18:")
                    .contains("\"X-Key\" = [\"**********\"]")
                    .doesNotContain("hunter2"));
  }
}
