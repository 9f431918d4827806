package io.pyrogate.kafka;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.SecretSource;
import io.pyrogate.config.TlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Kafka client properties for one configuration: pyrogate's tuned defaults, then the connection
 * security of the {@code kafka} block, then the user's {@code producer}/{@code consumer} overrides
 * — except the keys that guarantee no acknowledged profile is lost, which nobody overrides.
 */
public final class KafkaClients {
  private final KafkaSettings settings;
  private final String bootstrap;

  public KafkaClients(KafkaSettings settings) {
    this.settings = settings;
    this.bootstrap = String.join(",", settings.bootstrapServers());
  }

  public Map<String, Object> producer() {
    Map<String, Object> c = new HashMap<>(KafkaDefaults.producer(bootstrap));
    c.putAll(security());
    c.putAll(settings.producer());
    return c;
  }

  public Map<String, Object> consumer(String groupId) {
    Map<String, Object> c = new HashMap<>(KafkaDefaults.consumer(bootstrap, groupId));
    c.putAll(security());
    c.putAll(settings.consumer());
    return c;
  }

  public Map<String, Object> admin() {
    Map<String, Object> c = new HashMap<>(KafkaDefaults.admin(bootstrap));
    c.putAll(security());
    return c;
  }

  /**
   * security.protocol, SSL and SASL properties from the {@code tls_config} and {@code sasl} blocks.
   */
  Map<String, Object> security() {
    Map<String, Object> c = new HashMap<>();
    TlsConfig tls = settings.tls();
    KafkaSettings.Sasl sasl = settings.sasl();
    if (tls == null && sasl == null) {
      return c;
    }
    c.put(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        tls != null ? (sasl != null ? "SASL_SSL" : "SSL") : "SASL_PLAINTEXT");
    if (tls != null) {
      String ca = read(tls.ca());
      if (ca != null) {
        c.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        c.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, ca);
      }
      String cert = read(tls.cert());
      if (cert != null) {
        String key = read(tls.key());
        c.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        c.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, cert);
        c.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, key);
      }
      if (tls.insecureSkipVerify()) {
        c.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
      }
      c.put(
          SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG,
          String.join(",", protocolsFrom(tls.minVersion())));
    }
    if (sasl != null) {
      String password = read(sasl.password());
      String module =
          sasl.mechanism().equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      c.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism());
      c.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          module
              + " required username=\""
              + jaasEscape(sasl.username())
              + "\" password=\""
              + jaasEscape(password == null ? "" : password.strip())
              + "\";");
    }
    return c;
  }

  private static List<String> protocolsFrom(String minVersion) {
    return switch (minVersion) {
      case "TLS13" -> List.of("TLSv1.3");
      case "TLS11" -> List.of("TLSv1.3", "TLSv1.2", "TLSv1.1");
      case "TLS10" -> List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
      default -> List.of("TLSv1.3", "TLSv1.2");
    };
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String read(SecretSource source) {
    if (source == null) {
      return null;
    }
    try {
      return source.read();
    } catch (IOException e) {
      String message =
          "cannot read " + source.file() + " named in the kafka block: " + e.getMessage();
      throw new UncheckedIOException(message, e);
    }
  }
}
