package io.pyrogate.delivery;

import io.pyrogate.Version;
import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig.OAuth2;
import io.pyrogate.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Builds the Vert.x web clients of an endpoint: the one that delivers profiles, and the one its
 * {@code oauth2} block fetches tokens with. Options come from the configuration as Alloy's HTTP
 * client takes them: the proxy chosen for the URL ({@link ProxyChoice}), HTTP/2 over TLS through
 * ALPN when {@code enable_http2}, redirects, and TLS from {@code tls_config} ({@link TlsMaterial},
 * applied and re-applied by {@link ReloadingWebClient}).
 */
final class EndpointClients {
  static final Duration DEFAULT_FILE_CHECK_INTERVAL = Duration.ofSeconds(30);

  /**
   * Connections to an endpoint (HTTP/1.1). The endpoint verticle keeps at most this many requests
   * in flight, so none waits in the pool for a connection: {@code remote_timeout} then times an
   * attempt on the wire only.
   */
  static final int MAX_CONNECTIONS = 8;

  private EndpointClients() {}

  /**
   * What an endpoint takes from its process, injectable for tests.
   *
   * @param environment looks up environment variables (proxy_from_environment)
   * @param fileCheckInterval how often TLS files are read again to notice a rotation
   * @param clockMillis wall-clock time, for oauth2 token expiry and the times shown
   * @param monotonicMillis a clock that never steps, in milliseconds, for the order of attempts and
   *     waits
   */
  record Settings(
      UnaryOperator<String> environment,
      Duration fileCheckInterval,
      LongSupplier clockMillis,
      LongSupplier monotonicMillis) {
    /** With the system's monotonic clock. */
    Settings(
        UnaryOperator<String> environment, Duration fileCheckInterval, LongSupplier clockMillis) {
      this(
          environment,
          fileCheckInterval,
          clockMillis,
          () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    }

    static Settings system() {
      return new Settings(System::getenv, DEFAULT_FILE_CHECK_INTERVAL, System::currentTimeMillis);
    }
  }

  /**
   * The client that delivers to {@code endpoint}, through {@code proxy} (null: direct), TLS from
   * its tls_config.
   *
   * @param what names the endpoint in log lines
   */
  static Future<ReloadingWebClient> forEndpoint(
      Vertx vertx, String what, Endpoint endpoint, ProxyOptions proxy, Duration fileCheckInterval) {
    TlsConfig tls = endpoint.http().tls();
    WebClient client =
        create(vertx, endpointOptions(endpoint, proxy), endpointPool(), tls.serverName());
    return ReloadingWebClient.start(
        vertx, what, client, new TlsMaterial(vertx, "tls_config", tls), fileCheckInterval);
  }

  /**
   * The client that fetches tokens for an oauth2 block, with the block's own proxy and tls_config.
   */
  static Future<ReloadingWebClient> forTokens(
      Vertx vertx,
      String what,
      OAuth2 oauth2,
      Duration timeout,
      ProxyOptions proxy,
      Duration fileCheckInterval) {
    WebClient client =
        create(vertx, tokenOptions(timeout, proxy), tokenPool(), oauth2.tls().serverName());
    return ReloadingWebClient.start(
        vertx,
        what,
        client,
        new TlsMaterial(vertx, "oauth2 tls_config", oauth2.tls()),
        fileCheckInterval);
  }

  /**
   * The options of the client that delivers to {@code endpoint}, with {@code proxy} or null for
   * none.
   */
  static WebClientOptions endpointOptions(Endpoint endpoint, ProxyOptions proxy) {
    WebClientOptions options =
        new WebClientOptions()
            .setUserAgent(Version.userAgent())
            .setConnectTimeout(
                (int) Math.min(Integer.MAX_VALUE, endpoint.remoteTimeout().toMillis()))
            .setFollowRedirects(endpoint.http().followRedirects())
            .setKeepAlive(true)
            .setProxyOptions(proxy);
    if (endpoint.http().enableHttp2() && "https".equalsIgnoreCase(endpoint.url().getScheme())) {
      // As Go's client: HTTP/2 when the server offers it through ALPN, HTTP/1.1 otherwise.
      options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
    }
    return options;
  }

  /**
   * The options of the client that fetches oauth2 tokens: HTTP/1.1, redirects followed, as Go's
   * default client.
   */
  static WebClientOptions tokenOptions(Duration timeout, ProxyOptions proxy) {
    return new WebClientOptions()
        .setUserAgent(Version.userAgent())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .setFollowRedirects(true)
        .setKeepAlive(true)
        .setProxyOptions(proxy);
  }

  private static PoolOptions endpointPool() {
    return new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setHttp2MaxSize(2);
  }

  private static PoolOptions tokenPool() {
    return new PoolOptions().setHttp1MaxSize(1);
  }

  /**
   * Creates a web client; with a {@code serverName} (tls_config {@code server_name}), every TLS
   * connection sends it as SNI and verifies the server's certificate against it, while the TCP
   * connection (and a proxy's CONNECT) still goes to the URL's host and the request's Host header
   * stays the URL's, as Go's {@code tls.Config.ServerName} does.
   */
  static WebClient create(
      Vertx vertx, WebClientOptions options, PoolOptions pool, String serverName) {
    WebClient client = WebClient.create(vertx, options, pool);
    if (serverName != null) {
      client.addInterceptor(
          ctx -> {
            RequestOptions o = ctx.requestOptions();
            if (ctx.phase() == ClientPhase.CREATE_REQUEST) {
              // Also runs for each redirect: the server name applies to every TLS connection, as in
              // Go.
              if (Boolean.TRUE.equals(o.isSsl()) && o.getServer() == null && o.getHost() != null) {
                o.setServer(SocketAddress.inetSocketAddress(o.getPort(), o.getHost()));
                // The peer host is what Vert.x's TLS engine sends as SNI and verifies the
                // certificate against.
                o.setHost(serverName);
              }
            } else if (ctx.phase() == ClientPhase.SEND_REQUEST) {
              if (o.getServer() instanceof SocketAddress server && serverName.equals(o.getHost())) {
                ctx.clientRequest().authority(HostAndPort.create(server.host(), o.getPort()));
              }
            }
            ctx.next();
          });
    }
    return client;
  }
}
