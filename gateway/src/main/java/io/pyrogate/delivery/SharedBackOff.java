package io.pyrogate.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An endpoint's back-off as every instance delivering to it shares it, so that N instances do not
 * multiply the requests of a throttled or failing endpoint. When one instance is asked to wait (a
 * Retry-After) or finds the endpoint in outage, it {@link #announce announces} how long to hold the
 * endpoint's requests; every instance, itself included, hears it and holds them that long. An
 * announcement of {@link Duration#ZERO} releases them: the endpoint answers again.
 *
 * <p>Without cluster mode it is {@link #NONE}: nothing is announced nor heard, and each endpoint
 * backs off on its own as Alloy's does.
 */
public interface SharedBackOff {
  /** An instance on its own. */
  SharedBackOff NONE =
      new SharedBackOff() {
        @Override
        public Future<Void> listen(Vertx vertx, Consumer<Duration> hold) {
          return Future.succeededFuture();
        }

        @Override
        public void announce(Duration wait, String reason) {}
      };

  /**
   * From now on, runs {@code hold} on the caller's context with each announced wait (zero: release)
   * until the caller is undeployed.
   */
  Future<Void> listen(Vertx vertx, Consumer<Duration> hold);

  /**
   * Asks every instance to hold the endpoint's requests for {@code wait}, or with zero to release
   * them.
   *
   * @param reason why, for the log of the others; never a secret (a status and a header value)
   */
  void announce(Duration wait, String reason);
}
