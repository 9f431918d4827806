package io.pyrogate.delivery;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.pyroscope.PyroscopeHttp;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ProxyOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.BooleanSupplier;

/**
 * Makes one attempt of a request to an endpoint and says how it went. It owns the endpoint's HTTP
 * clients (through the proxy chosen for the URL, with TLS from {@code tls_config}), builds the
 * request ({@link RequestBuilder}) with the endpoint's headers and credentials ({@link
 * EndpointHeaders}), and reads a failure: its status, its Connect error code, Retry-After and what
 * the server said, or why there was no answer, scrubbed of secrets.
 */
final class EndpointSender {
  private static final int MAX_ERROR_BODY = 512;

  /**
   * How an attempt went.
   *
   * @param answered whether the endpoint answered at all (any status)
   * @param failure null when it accepted the request (2xx), else why not
   */
  record Outcome(boolean answered, RetryPolicy.Failure failure) {
    boolean delivered() {
      return failure == null;
    }
  }

  private final ReloadingWebClient client;
  private final OAuth2Tokens tokens;
  private final EndpointHeaders headers;
  private final RequestBuilder requests;
  private final ProxyOptions proxy;
  private final BooleanSupplier stopping;

  private EndpointSender(
      ReloadingWebClient client,
      OAuth2Tokens tokens,
      EndpointHeaders headers,
      RequestBuilder requests,
      ProxyOptions proxy,
      BooleanSupplier stopping) {
    this.client = client;
    this.tokens = tokens;
    this.headers = headers;
    this.requests = requests;
    this.proxy = proxy;
    this.stopping = stopping;
  }

  /**
   * Creates the endpoint's clients.
   *
   * @param what names the endpoint in log lines and errors
   * @param stopping true once the endpoint stops: a 401 then renews no token
   */
  static Future<EndpointSender> start(
      Vertx vertx,
      String what,
      Endpoint endpoint,
      EndpointClients.Settings settings,
      BooleanSupplier stopping) {
    HttpClientConfig http = endpoint.http();
    ProxyOptions proxy;
    ProxyOptions tokenProxy;
    try {
      proxy = ProxyChoice.forTarget(http.proxy(), endpoint.url(), settings.environment());
      tokenProxy =
          http.oauth2() == null
              ? null
              : ProxyChoice.forTarget(
                  http.oauth2().proxy(), http.oauth2().tokenUrl(), settings.environment());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(what + ": " + e.getMessage()));
    }
    Future<ReloadingWebClient> endpointClient =
        EndpointClients.forEndpoint(vertx, what, endpoint, proxy, settings.fileCheckInterval());
    Future<ReloadingWebClient> tokenClient =
        http.oauth2() == null
            ? Future.succeededFuture()
            : EndpointClients.forTokens(
                vertx,
                what,
                http.oauth2(),
                endpoint.remoteTimeout(),
                tokenProxy,
                settings.fileCheckInterval());
    return Future.all(endpointClient, tokenClient)
        .map(
            clients -> {
              OAuth2Tokens tokens =
                  tokenClient.result() == null
                      ? null
                      : new OAuth2Tokens(
                          vertx,
                          http.oauth2(),
                          tokenClient.result(),
                          endpoint.remoteTimeout(),
                          settings.clockMillis());
              return new EndpointSender(
                  endpointClient.result(),
                  tokens,
                  new EndpointHeaders(vertx, endpoint, tokens),
                  new RequestBuilder(endpoint.url(), endpoint.remoteTimeout()),
                  proxy,
                  stopping);
            });
  }

  /** The proxy requests go through, null when direct. */
  ProxyOptions proxy() {
    return proxy;
  }

  /** One attempt of {@code s}; the future always succeeds. */
  Future<Outcome> send(Send s) {
    return send(s, headers.renewable()).transform(ar -> Future.succeededFuture(outcome(ar)));
  }

  void close() {
    client.close();
    if (tokens != null) {
      tokens.close();
    }
  }

  /**
   * A 401 with an oauth2 token renews the token and sends once more at once: the token may have
   * been revoked or expired early, which the endpoint knows before we do.
   */
  private Future<HttpResponse<Buffer>> send(Send s, boolean renewOn401) {
    return request(s)
        .compose(
            req ->
                req.sendBuffer(s.body())
                    .compose(
                        response -> {
                          if (renewOn401
                              && response.statusCode() == 401
                              && !stopping.getAsBoolean()) {
                            headers.unauthorized(req.headers());
                            return send(s, false);
                          }
                          return Future.succeededFuture(response);
                        }));
  }

  private Future<HttpRequest<Buffer>> request(Send s) {
    return client
        .get()
        .compose(
            web -> {
              HttpRequest<Buffer> req = requests.build(web, s.head());
              return headers.applyTo(req.headers(), s.head().tenant()).map(v -> req);
            });
  }

  private Outcome outcome(AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
      return new Outcome(true, null);
    }
    client.recheck();
    RetryPolicy.Failure f =
        ar.succeeded()
            ? failure(ar.result())
            : new RetryPolicy.Failure(0, null, null, noAnswer(ar.cause()));
    return new Outcome(ar.succeeded(), headers.scrubber().scrub(f));
  }

  /**
   * A non-2xx answer: its status, its Connect error code if the body is one, and what the server
   * said.
   */
  static RetryPolicy.Failure failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String body = response.bodyAsString();
    String reason =
        "HTTP "
            + status
            + (body == null || body.isBlank()
                ? ""
                : ": "
                    + (body.length() > MAX_ERROR_BODY
                        ? body.substring(0, MAX_ERROR_BODY) + "…"
                        : body.strip()));
    return new RetryPolicy.Failure(
        status,
        PyroscopeHttp.connectCode(response.getHeader("Content-Type"), response.body()),
        response.getHeader("Retry-After"),
        reason);
  }

  /**
   * Why there was no answer, with the causes' messages: a TLS failure says "Failed to create SSL
   * connection" on top and what was wrong with the certificate underneath.
   */
  static String noAnswer(Throwable e) {
    StringBuilder reason = new StringBuilder(e.toString());
    Throwable cause = e.getCause();
    for (int depth = 0;
        cause != null && cause != e && depth < 5;
        depth++, cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && reason.indexOf(message) < 0) {
        reason.append(": ").append(message);
      }
    }
    return reason.toString();
  }
}
