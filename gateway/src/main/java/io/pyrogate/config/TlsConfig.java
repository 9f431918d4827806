package io.pyrogate.config;

import java.nio.file.Path;

/**
 * A {@code tls_config} block. PEM values are given inline or as files (read when a connection is made, so a
 * rotated file takes effect without restart); at most one of each pair is set.
 *
 * @param minVersion one of TLS10, TLS11, TLS12, TLS13
 */
public record TlsConfig(String caPem, Path caFile, String certPem, Path certFile, Secret keyPem, Path keyFile,
    String serverName, boolean insecureSkipVerify, String minVersion) {
  public static final String DEFAULT_MIN_VERSION = "TLS12";
  public static final java.util.List<String> VERSIONS = java.util.List.of("TLS10", "TLS11", "TLS12", "TLS13");

  public static TlsConfig defaults() {
    return new TlsConfig(null, null, null, null, null, null, null, false, DEFAULT_MIN_VERSION);
  }

  public boolean hasClientCertificate() {
    return certPem != null || certFile != null;
  }
}
