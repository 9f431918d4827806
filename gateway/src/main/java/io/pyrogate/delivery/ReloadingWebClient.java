package io.pyrogate.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web client whose TLS material follows its files. The files of {@code tls_config} are read at
 * start, every {@code checkInterval} (30 s by default), and before the next request after one
 * failed ({@link #recheck()}), so a rotated certificate is used within that interval, and at once
 * when the old one stopped working. When the contents changed, new connections use them; open
 * connections keep the handshake they made.
 *
 * <p>While a file cannot be read or parsed, {@link #get()} fails with the reason, so nothing is
 * sent with other TLS settings than those configured. Not thread-safe: used from its verticle's
 * context only.
 */
final class ReloadingWebClient {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingWebClient.class);

  private final Vertx vertx;
  private final String what;
  private final WebClient client;
  private final TlsMaterial tls;
  private final long timer;
  private ClientSSLOptions applied;
  private String failure;
  private boolean stale;
  private Future<Void> loading;

  private ReloadingWebClient(
      Vertx vertx, String what, WebClient client, TlsMaterial tls, Duration checkInterval) {
    this.vertx = vertx;
    this.what = what;
    this.client = client;
    this.tls = tls;
    this.timer =
        tls.hasFiles()
            ? vertx.setPeriodic(Math.max(1, checkInterval.toMillis()), id -> reload())
            : -1;
  }

  /**
   * Loads the TLS material once and completes with the client, also when the material could not be
   * loaded (then every {@link #get()} tries again and fails until it can).
   *
   * @param what names the client in log lines, e.g. the endpoint
   */
  static Future<ReloadingWebClient> start(
      Vertx vertx, String what, WebClient client, TlsMaterial tls, Duration checkInterval) {
    ReloadingWebClient c = new ReloadingWebClient(vertx, what, client, tls, checkInterval);
    return c.reload().map(c);
  }

  /** The client, with the current TLS material; fails while that cannot be loaded. */
  Future<WebClient> get() {
    if (stale || failure != null) {
      return reload()
          .compose(
              v ->
                  failure == null
                      ? Future.succeededFuture(client)
                      : Future.failedFuture(new IllegalStateException(failure)));
    }
    return Future.succeededFuture(client);
  }

  /** A request failed: read the files again before the next one, in case they were rotated. */
  void recheck() {
    if (tls.hasFiles()) {
      stale = true;
    }
  }

  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    client.close();
  }

  private Future<Void> reload() {
    if (loading != null) {
      return loading;
    }
    stale = false;
    Future<Void> load =
        tls.load()
            .transform(
                ar -> {
                  if (ar.succeeded()) {
                    if (!ar.result().equals(applied)) {
                      if (applied != null) {
                        LOG.info(
                            "{}: {} files changed; new connections use them", what, tls.what());
                      }
                      client.updateSSLOptions(ar.result(), true);
                      applied = ar.result();
                    }
                    if (failure != null) {
                      LOG.info("{}: {} usable again", what, tls.what());
                      failure = null;
                    }
                  } else {
                    String reason = ar.cause().getMessage();
                    if (!reason.equals(failure)) {
                      LOG.warn("{}: {}; nothing is sent until this is fixed", what, reason);
                    }
                    failure = reason;
                  }
                  return Future.<Void>succeededFuture();
                });
    loading = load;
    load.onComplete(
        v -> {
          if (loading == load) {
            loading = null;
          }
        });
    return load;
  }
}
