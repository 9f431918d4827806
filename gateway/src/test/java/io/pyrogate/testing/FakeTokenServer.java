package io.pyrogate.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth2 token endpoint on 127.0.0.1 for the client-credentials grant: answers every POST with a
 * new token {@code tok-1}, {@code tok-2}, ... (or with an error status when told) and records each
 * request.
 */
public final class FakeTokenServer implements AutoCloseable {
  /**
   * A token request.
   *
   * @param authorization its Authorization header
   * @param form its form fields (decoded; the first value of each)
   * @param contentType its Content-Type
   * @param issued the token answered, or null when it was refused
   */
  public record TokenRequest(
      String authorization, Map<String, String> form, String contentType, String issued) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final boolean tls;
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile long expiresIn = 3600;
  private volatile String tokenPrefix = "tok-";
  private volatile int failWith;

  public FakeTokenServer() {
    this(new HttpServerOptions());
  }

  public FakeTokenServer(HttpServerOptions options) {
    tls = options.isSsl();
    server =
        await(vertx.createHttpServer(options).requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/oauth2/token";
  }

  /** The expires_in of tokens issued from now on; 0 leaves it out. */
  public FakeTokenServer expiresIn(long seconds) {
    expiresIn = seconds;
    return this;
  }

  /** Tokens issued from now on are this prefix and a sequence number. */
  public FakeTokenServer tokenPrefix(String prefix) {
    tokenPrefix = prefix;
    return this;
  }

  /** Refuse every request with this status (0: issue tokens again). */
  public FakeTokenServer failWith(int status) {
    failWith = status;
    return this;
  }

  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              Map<String, String> form = new TreeMap<>();
              new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), false)
                  .parameters()
                  .forEach((k, v) -> form.put(k, v.get(0)));
              int status = failWith;
              if (status != 0) {
                requests.add(
                    new TokenRequest(
                        req.getHeader("Authorization"), form, req.getHeader("Content-Type"), null));
                req.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(
                        new JsonObject()
                            .put("error", "invalid_client")
                            .put("error_description", "refused by the test")
                            .encode());
                return;
              }
              String token = tokenPrefix + issued.incrementAndGet();
              requests.add(
                  new TokenRequest(
                      req.getHeader("Authorization"), form, req.getHeader("Content-Type"), token));
              JsonObject answer =
                  new JsonObject().put("access_token", token).put("token_type", "bearer");
              if (expiresIn > 0) {
                answer.put("expires_in", expiresIn);
              }
              req.response().putHeader("Content-Type", "application/json").end(answer.encode());
            });
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
