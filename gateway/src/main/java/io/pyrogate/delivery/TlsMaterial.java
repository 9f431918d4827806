package io.pyrogate.delivery;

import io.pyrogate.config.SecretSource;
import io.pyrogate.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS settings of a {@code tls_config} block as Vert.x client SSL options: the CA (ca_pem /
 * ca_file; the JVM's trusted CAs when neither is set), the client certificate and key (inline or
 * files), host name verification (against the URL's host, or {@code server_name}, which {@link
 * EndpointClients} applies per request), {@code insecure_skip_verify} (any certificate, no host
 * name verification) and {@code min_version} (TLS 1.0 to 1.3 from that version up).
 *
 * <p>Each {@link #load()} reads the files again, asynchronously, and parses the PEM off the event
 * loop, so a broken file is reported with its name before any connection is tried. Equal contents
 * give equal options, so the caller can tell whether anything changed.
 */
final class TlsMaterial {
  /** Go's crypto/tls names, lowest first; min_version enables its own and every later one. */
  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private final Vertx vertx;
  private final String what;
  private final TlsConfig tls;

  /**
   * @param what names the block in messages: {@code tls_config} or {@code oauth2 tls_config}
   */
  TlsMaterial(Vertx vertx, String what, TlsConfig tls) {
    this.vertx = vertx;
    this.what = what;
    this.tls = tls;
  }

  String what() {
    return what;
  }

  /** Whether any file has to be read, i.e. whether loading again can give something new. */
  boolean hasFiles() {
    return fromFile(tls.ca()) || fromFile(tls.cert()) || fromFile(tls.key());
  }

  /**
   * Reads and checks the material; fails with a message naming the argument (and file) at fault,
   * never with any of its content.
   */
  Future<ClientSSLOptions> load() {
    Future<Buffer> ca = pem(tls.ca(), "ca_file");
    Future<Buffer> cert = pem(tls.cert(), "cert_file");
    Future<Buffer> key = pem(tls.key(), "key_file");
    return Future.all(ca, cert, key)
        .compose(
            all -> {
              ClientSSLOptions o =
                  new ClientSSLOptions()
                      .setEnabledSecureTransportProtocols(protocolsFrom(tls.minVersion()));
              if (tls.insecureSkipVerify()) {
                o.setTrustAll(true).setHostnameVerificationAlgorithm("");
              } else {
                o.setHostnameVerificationAlgorithm("HTTPS");
                if (ca.result() != null) {
                  o.setTrustOptions(new PemTrustOptions().addCertValue(ca.result()));
                }
              }
              if (cert.result() != null && key.result() != null) {
                o.setKeyCertOptions(
                    new PemKeyCertOptions().addCertValue(cert.result()).addKeyValue(key.result()));
              }
              return check(o);
            });
  }

  /**
   * Parses what Vert.x would parse at the first connection, on a worker thread, to report errors
   * early.
   */
  private Future<ClientSSLOptions> check(ClientSSLOptions o) {
    return vertx.executeBlocking(
        () -> {
          if (o.getTrustOptions() != null) {
            try {
              o.getTrustOptions().getTrustManagerFactory(vertx);
            } catch (Exception e) {
              throw new IllegalStateException(
                  what
                      + ": "
                      + source(tls.ca(), "ca_pem")
                      + " holds no usable PEM certificate ("
                      + e.getClass().getSimpleName()
                      + ": "
                      + e.getMessage()
                      + ")");
            }
          }
          if (o.getKeyCertOptions() != null) {
            try {
              o.getKeyCertOptions().getKeyManagerFactory(vertx);
            } catch (Exception e) {
              throw new IllegalStateException(
                  what
                      + ": "
                      + source(tls.cert(), "cert_pem")
                      + " and "
                      + source(tls.key(), "key_pem")
                      + " are not a usable PEM certificate and private key ("
                      + e.getClass().getSimpleName()
                      + ": "
                      + e.getMessage()
                      + ")");
            }
          }
          return o;
        },
        false);
  }

  private Future<Buffer> pem(SecretSource source, String argument) {
    if (source instanceof SecretSource.Inline inline) {
      return Future.succeededFuture(Buffer.buffer(inline.read()));
    }
    if (source == null) {
      return Future.succeededFuture(null);
    }
    Path file = source.file();
    return vertx
        .fileSystem()
        .readFile(file.toString())
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        what
                            + ": cannot read "
                            + argument
                            + " "
                            + file
                            + ": "
                            + e.getClass().getSimpleName()
                            + (e.getCause() != null
                                ? " (" + e.getCause().getClass().getSimpleName() + ")"
                                : ""))));
  }

  private static String source(SecretSource source, String inlineName) {
    return fromFile(source) ? source.file().toString() : inlineName;
  }

  private static boolean fromFile(SecretSource source) {
    return source != null && source.file() != null;
  }

  /** TLSv1..TLSv1.3 from {@code minVersion} up; the JVM may disable the oldest ones on its own. */
  static Set<String> protocolsFrom(String minVersion) {
    int from = VERSIONS.indexOf(minVersion == null ? TlsConfig.DEFAULT_MIN_VERSION : minVersion);
    if (from < 0) {
      throw new IllegalArgumentException("unknown min_version " + minVersion);
    }
    return new LinkedHashSet<>(PROTOCOLS.subList(from, PROTOCOLS.size()));
  }
}
