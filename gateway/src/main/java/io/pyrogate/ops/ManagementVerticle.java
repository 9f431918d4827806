package io.pyrogate.ops;

import io.pyrogate.config.ConfigException;
import io.pyrogate.ops.status.StatusService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server address of {@code --server.http.listen-addr}: the status page ({@code /}, its JSON at
 * {@code /api/status}), the cluster view ({@code /api/cluster}), liveness, readiness, metrics and
 * configuration reload. It is deployed first, so an orchestrator sees "not ready" rather than
 * "connection refused" while the broker starts.
 */
public final class ManagementVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementVerticle.class);
  public static final String RELOAD_PATH = "/-/reload";

  private final String host;
  private final int port;
  private final Health health;
  private final Reloader reloader;
  private final Metrics metrics;
  private final StatusService status;
  private HttpServer server;

  /**
   * @param reloader what {@code POST /-/reload} runs; null when pyrogate was not started from a
   *     file, and the route is not served
   */
  public ManagementVerticle(
      String host,
      int port,
      Health health,
      Reloader reloader,
      Metrics metrics,
      StatusService status) {
    this.host = host;
    this.port = port;
    this.health = health;
    this.reloader = reloader;
    this.metrics = metrics;
    this.status = status;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router
        .get("/")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end(status.html()));
    router
        .get("/api/status")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(status.json()));
    router
        .get("/api/cluster")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(status.clusterJson()));
    status.sample();
    vertx.setPeriodic(StatusService.SAMPLE_INTERVAL_MS, id -> status.sample());
    router
        .get("/-/healthy")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain")
                    .end("pyrogate is healthy.\n"));
    router
        .get("/-/ready")
        .handler(
            ctx ->
                health
                    .notReady()
                    .ifPresentOrElse(
                        reason ->
                            ctx.response()
                                .setStatusCode(503)
                                .putHeader("Content-Type", "text/plain")
                                .end("pyrogate is not ready: " + reason + "\n"),
                        () ->
                            ctx.response()
                                .putHeader("Content-Type", "text/plain")
                                .end("pyrogate is ready.\n")));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    if (reloader != null) {
      router.route(RELOAD_PATH).handler(this::reload);
    }
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> server = s)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "cannot listen on --server.http.listen-addr "
                            + host
                            + ":"
                            + port
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void reload(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      ctx.response().putHeader("Allow", "POST");
      text(ctx, 405, "method " + ctx.request().method() + " not allowed, use POST\n");
      return;
    }
    // Reloading creates topics and deploys verticles, waiting for each: never on the event loop.
    // Reloads are
    // serialized by the reloader, so the worker need not be ordered.
    vertx
        .executeBlocking(reloader::reload, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                text(ctx, 200, ar.result().endsWith("\n") ? ar.result() : ar.result() + "\n");
              } else if (ar.cause() instanceof ConfigException e) {
                text(
                    ctx,
                    400,
                    e.getMessage().endsWith("\n") ? e.getMessage() : e.getMessage() + "\n");
              } else if (ar.cause() instanceof Reloader.Unavailable e) {
                ctx.response().putHeader("Retry-After", "1");
                text(ctx, 503, e.getMessage() + "\n");
              } else {
                LOG.debug("configuration reload failed", ar.cause()); // the reloader logged it
                text(ctx, 500, "reload failed: " + ar.cause().getMessage() + "\n");
              }
            });
  }

  private static void text(RoutingContext ctx, int status, String body) {
    if (ctx.response().closed()) {
      return; // the client went away while the reload ran; its outcome is in the log
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }
}
