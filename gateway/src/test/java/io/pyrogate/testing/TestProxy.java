package io.pyrogate.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP proxy on 127.0.0.1: tunnels CONNECT requests and forwards absolute-URI requests,
 * recording each. Every target host is reached at 127.0.0.1 (so made-up names like {@code
 * pyroscope.test} work). With {@link #requireAuthorization(String)} it answers 407 to requests
 * without that Proxy-Authorization.
 */
public final class TestProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");

  /**
   * A request the proxy received.
   *
   * @param target for CONNECT {@code host:port}, else the absolute URI
   * @param headers lower-case names
   */
  public record Seen(String method, String target, Map<String, String> headers) {}

  private final Vertx vertx = Vertx.vertx();
  private final NetClient tcp = vertx.createNetClient();
  private final HttpClient http = vertx.createHttpClient();
  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile String requiredAuthorization;

  public TestProxy() {
    server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  /** Requests without exactly this Proxy-Authorization value are answered 407. */
  public TestProxy requireAuthorization(String value) {
    requiredAuthorization = value;
    return this;
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void handle(HttpServerRequest req) {
    Map<String, String> headers = new TreeMap<>();
    req.headers()
        .forEach(
            e ->
                headers.merge(
                    e.getKey().toLowerCase(java.util.Locale.ROOT),
                    e.getValue(),
                    (a, b) -> a + ", " + b));
    seen.add(
        new Seen(
            req.method().name(),
            req.method() == HttpMethod.CONNECT ? req.authority().toString() : req.uri(),
            headers));
    String required = requiredAuthorization;
    if (required != null && !required.equals(req.getHeader("Proxy-Authorization"))) {
      req.response()
          .setStatusCode(407)
          .putHeader("Proxy-Authenticate", "Basic realm=\"test\"")
          .end();
      return;
    }
    if (req.method() == HttpMethod.CONNECT) {
      req.pause();
      tcp.connect(req.authority().port(), "127.0.0.1")
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  req.response().setStatusCode(502).end();
                  return;
                }
                req.toNetSocket()
                    .onSuccess(
                        client -> {
                          client.pipeTo(ar.result());
                          ar.result().pipeTo(client);
                        });
              });
      return;
    }
    URI target = URI.create(req.uri());
    MultiMap forwarded = MultiMap.caseInsensitiveMultiMap();
    req.headers()
        .forEach(
            e -> {
              if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                forwarded.add(e.getKey(), e.getValue());
              }
            });
    int port = target.getPort() >= 0 ? target.getPort() : 80;
    req.body()
        .compose(
            body ->
                http.request(
                        new RequestOptions()
                            .setMethod(req.method())
                            .setHost("127.0.0.1")
                            .setPort(port)
                            .setURI(
                                target.getRawPath()
                                    + (target.getRawQuery() == null
                                        ? ""
                                        : "?" + target.getRawQuery()))
                            .setHeaders(forwarded)
                            .putHeader("Host", target.getRawAuthority()))
                    .compose(out -> out.send(body)))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        b -> {
                          req.response().setStatusCode(response.statusCode());
                          response
                              .headers()
                              .forEach(
                                  e -> {
                                    if (!HOP_BY_HOP.contains(
                                            e.getKey().toLowerCase(java.util.Locale.ROOT))
                                        && !e.getKey().equalsIgnoreCase("content-length")) {
                                      req.response().putHeader(e.getKey(), e.getValue());
                                    }
                                  });
                          req.response().end(b);
                          return (Void) null;
                        }))
        .onFailure(e -> req.response().setStatusCode(502).end(String.valueOf(e.getMessage())));
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
