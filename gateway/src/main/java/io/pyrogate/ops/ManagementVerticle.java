package io.pyrogate.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The server address of {@code --server.http.listen-addr}: liveness, readiness (and, later, metrics and the
 * status page). It is deployed first, so an orchestrator sees "not ready" rather than "connection refused"
 * while the broker starts.
 */
public final class ManagementVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Health health;
  private HttpServer server;

  public ManagementVerticle(String host, int port, Health health) {
    this.host = host;
    this.port = port;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/-/healthy").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain")
        .end("pyrogate is healthy.\n"));
    router.get("/-/ready").handler(ctx -> health.notReady().ifPresentOrElse(
        reason -> ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
            .end("pyrogate is not ready: " + reason + "\n"),
        () -> ctx.response().putHeader("Content-Type", "text/plain").end("pyrogate is ready.\n")));
    return vertx.createHttpServer().requestHandler(router).listen(port, host)
        .onSuccess(s -> server = s)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on --server.http.listen-addr " + host + ":" + port + ": " + e.getMessage(), e)));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
