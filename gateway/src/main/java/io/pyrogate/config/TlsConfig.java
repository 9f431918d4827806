package io.pyrogate.config;

import java.util.List;

/**
 * A {@code tls_config} block. PEM values are given inline or as files (read when a connection is
 * made, so a rotated file takes effect without restart).
 *
 * @param ca {@code ca_pem} or {@code ca_file}, or null
 * @param cert {@code cert_pem} or {@code cert_file}, or null
 * @param key {@code key_pem} or {@code key_file}, or null
 * @param minVersion one of TLS10, TLS11, TLS12, TLS13
 */
public record TlsConfig(
    SecretSource ca,
    SecretSource cert,
    SecretSource key,
    String serverName,
    boolean insecureSkipVerify,
    String minVersion) {
  public static final String DEFAULT_MIN_VERSION = "TLS12";
  public static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  public static TlsConfig defaults() {
    return new TlsConfig(null, null, null, null, false, DEFAULT_MIN_VERSION);
  }
}
