package io.pyrogate.ingest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Error answers in the Connect protocol's unary shape, as Pyroscope gives them. */
final class ConnectError {
  private ConnectError() {}

  static void send(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, code, message, 0);
  }

  /**
   * @param retryAfterSeconds when positive, a Retry-After header tells the client when to try again
   */
  static void send(
      RoutingContext ctx, int status, String code, String message, int retryAfterSeconds) {
    if (ctx.response().ended()) {
      return;
    }
    if (retryAfterSeconds > 0) {
      ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(new JsonObject().put("code", code).put("message", message).encode());
  }
}
