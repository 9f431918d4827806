package io.pyrogate.ingest;

import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.logging.ComponentLog;
import io.pyrogate.ops.Metrics;
import io.pyrogate.pyroscope.PyroscopeHttp;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code pyroscope.receive_http} component: serves Pyroscope's ingestion API — {@code push.v1}
 * over Connect and the legacy {@code /ingest} — on HTTP/1.1 and cleartext HTTP/2, and writes every
 * accepted profile to the topics of its {@code forward_to} write components. It answers 200 only
 * after all of them acknowledged; it never waits on delivery to an endpoint. Several instances
 * share the port (one per core by default).
 */
public final class HttpIngestVerticle extends VerticleBase {
  public static final List<String> INGEST_PATHS =
      List.of(PyroscopeHttp.INGEST_PATH, "/pyroscope/ingest");
  private static final int RETRY_AFTER_SECONDS = 1;

  /**
   * Bodies larger than this are decompressed, parsed and checked on worker threads, not on the
   * event loop.
   */
  static final int INLINE_PARSE_BYTES = 256 * 1024;

  private static final String PARSE_POOL = "pyrogate-ingest-parse";
  private static final String RECEIVED_AT = "pyrogate.receivedAt";

  /** The port each deployment listens on, by deployment id: the one bound for listen_port 0. */
  private static final String BOUND_PORTS = "pyrogate.receive_http.boundPorts";

  /**
   * Vert.x gives servers that listen on the same negative port one shared random port: listen_port
   * 0 becomes one such number per deployment, so the instances of a receiver share one port as
   * Alloy's single listener on port 0 does, instead of each taking its own.
   */
  private static final String ANY_PORT_KEYS = "pyrogate.receive_http.anyPortKeys";

  private static final AtomicInteger ANY_PORT_KEY = new AtomicInteger();

  private final ReceiveHttpComponent component;
  private final ComponentLog log;
  private final List<ProfileReceiver> receivers;
  private final InflightBytes inflight;
  private final ConnectionSlots slots;
  private final int maxBodyBytes;
  private final Metrics.IngestMetrics metrics;
  private HttpServer server;
  private WorkerExecutor parser;

  /**
   * @param inflight bytes of request bodies being received or waiting for Kafka, shared by all
   *     instances
   * @param slots the conn_limit slots of this receiver, shared by all its instances
   */
  public HttpIngestVerticle(
      ReceiveHttpComponent component,
      List<ProfileReceiver> receivers,
      InflightBytes inflight,
      ConnectionSlots slots,
      Metrics.IngestMetrics metrics) {
    this.component = component;
    this.log =
        ComponentLog.of(HttpIngestVerticle.class, "pyroscope.receive_http." + component.label());
    this.metrics = metrics;
    this.receivers = List.copyOf(receivers);
    this.inflight = inflight;
    this.slots = slots;
    this.maxBodyBytes = KafkaDefaults.MAX_BODY_BYTES;
  }

  @Override
  public Future<?> start() {
    ReceiveHttpComponent.HttpServerConfig config = component.server();
    // Bounded: at most one parse per core at a time over all instances; the rest queue (their bytes
    // are
    // already counted in flight, so the queue is bounded too).
    parser =
        vertx.createSharedWorkerExecutor(
            PARSE_POOL, Math.max(1, Runtime.getRuntime().availableProcessors()));
    Router router = Router.router(vertx);
    router.route().handler(this::count);
    router.route().handler(TimeoutHandler.create(config.readTimeout().toMillis(), 408));
    router
        .route(PyroscopeHttp.PUSH_PATH)
        .method(HttpMethod.POST)
        .handler(this::push)
        .failureHandler(ctx -> failure(ctx, false));
    router.route(PyroscopeHttp.PUSH_PATH).handler(ctx -> methodNotAllowed(ctx, false));
    for (String path : INGEST_PATHS) {
      router
          .route(path)
          .method(HttpMethod.POST)
          .handler(this::ingest)
          .failureHandler(ctx -> failure(ctx, true));
      router.route(path).handler(ctx -> methodNotAllowed(ctx, true));
    }
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.listenAddress())
            .setPort(config.listenPort() != 0 ? config.listenPort() : anyPortKey())
            // Cleartext HTTP/2 (prior knowledge and Upgrade: h2c), as Pyroscope's server enables
            // it.
            .setHttp2ClearTextEnabled(true)
            .setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds()))
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx
        .createHttpServer(options)
        .connectionHandler(this::limitConnections)
        .requestHandler(router)
        .listen()
        .onSuccess(
            s -> {
              server = s;
              boundPorts(vertx).put(context.deploymentID(), s.actualPort());
            })
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "pyroscope.receive_http \""
                            + component.label()
                            + "\" cannot listen on "
                            + config.listenAddress()
                            + ":"
                            + config.listenPort()
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  /**
   * The port the receiver deployed as {@code deploymentId} listens on: its listen_port, or the one
   * bound for listen_port 0; null when it does not listen.
   */
  public static Integer boundPort(Vertx vertx, String deploymentId) {
    return boundPorts(vertx).get(deploymentId);
  }

  private static LocalMap<String, Integer> boundPorts(Vertx vertx) {
    return vertx.sharedData().getLocalMap(BOUND_PORTS);
  }

  private int anyPortKey() {
    return vertx
        .sharedData()
        .<String, Integer>getLocalMap(ANY_PORT_KEYS)
        .computeIfAbsent(context.deploymentID(), id -> -ANY_PORT_KEY.incrementAndGet());
  }

  /**
   * conn_limit: a connection over the limit is closed at once, as Alloy's listener does, unless a
   * connection past its head deadline gives up its slot ({@link ConnectionSlots}).
   */
  private void limitConnections(HttpConnection connection) {
    if (!slots.admit(connection)) {
      log.warn(
          "pyroscope.receive_http \"{}\": conn_limit of {} reached, closing a new connection from {}",
          component.label(),
          component.server().connLimit(),
          connection.remoteAddress());
      connection.close();
      return;
    }
    connection.closeHandler(v -> slots.release(connection));
  }

  @Override
  public Future<?> stop() {
    boundPorts(vertx).remove(context.deploymentID());
    vertx.sharedData().getLocalMap(ANY_PORT_KEYS).remove(context.deploymentID());
    // Stop accepting, then let requests in flight finish storing (bounded by Kafka's ack timeout)
    // before
    // the connections close: a client that gets no answer retries, one that was answered stays
    // answered.
    Future<Void> closed =
        server == null
            ? Future.succeededFuture()
            : server.shutdown(KafkaDefaults.ACK_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
    return closed.eventually(() -> parser == null ? Future.succeededFuture() : parser.close());
  }

  // --- push.v1.PusherService/Push (Connect unary) ---

  private void push(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    String codec = PushDecoder.codec(contentType);
    if (codec == null) {
      BodyReader.drain(ctx.request());
      ctx.response().putHeader("Accept-Post", PushDecoder.ACCEPT_POST);
      ConnectError.send(
          ctx,
          415,
          "unknown",
          "unsupported content type \""
              + (contentType == null ? "" : contentType)
              + "\": use application/proto or application/json");
      return;
    }
    String protocolVersion = ctx.request().getHeader(PyroscopeHttp.CONNECT_PROTOCOL_VERSION);
    if (protocolVersion != null && !PyroscopeHttp.CONNECT_VERSION.equals(protocolVersion.trim())) {
      BodyReader.drain(ctx.request());
      ConnectError.send(
          ctx,
          400,
          "invalid_argument",
          "connect-protocol-version must be \"1\": got \"" + protocolVersion + "\"");
      return;
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    boolean gzip = false;
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
      if (!"gzip".equalsIgnoreCase(encoding.trim())) {
        BodyReader.drain(ctx.request());
        ConnectError.send(
            ctx,
            501,
            "unimplemented",
            "unknown compression \"" + encoding + "\": supported encodings are gzip");
        return;
      }
      gzip = true;
    }
    boolean gzipped = gzip;
    String tenant;
    try {
      tenant = TenantHeader.push(ctx.request());
    } catch (Rejection e) {
      BodyReader.drain(ctx.request());
      reject(ctx, e, false);
      return;
    }
    InflightBytes.Reservation reservation = inflight.reservation();
    BodyReader.read(ctx, maxBodyBytes, reservation)
        .compose(
            body ->
                parse(body.length, () -> PushDecoder.decode(body, codec, gzipped, maxBodyBytes)))
        .onSuccess(
            decoded -> {
              ProfileRecord record =
                  ProfileRecord.push(tenant, decoded.bytes(), System.currentTimeMillis());
              store(
                  ctx,
                  record,
                  RecordCodec.key(tenant, decoded.serviceName()),
                  reservation,
                  false,
                  () -> {
                    ctx.response()
                        .setStatusCode(200)
                        .putHeader("Content-Type", codec)
                        .putHeader("Accept-Encoding", "gzip");
                    ctx.response().end(PushDecoder.isJson(codec) ? "{}" : "");
                  });
            })
        .onFailure(
            e -> {
              reservation.release();
              reject(ctx, e, false);
            });
  }

  // --- legacy /ingest ---

  private void ingest(RoutingContext ctx) {
    String query = ctx.request().query();
    String contentType = ctx.request().getHeader("Content-Type");
    IngestDecoder.Format format = IngestDecoder.format(query, contentType);
    IngestName name;
    String tenant;
    try {
      name = IngestDecoder.name(query);
      tenant = TenantHeader.ingest(ctx.request(), format);
    } catch (Rejection e) {
      BodyReader.drain(ctx.request());
      reject(ctx, e, true);
      return;
    }
    InflightBytes.Reservation reservation = inflight.reservation();
    BodyReader.read(ctx, maxBodyBytes, reservation)
        .compose(
            body ->
                parse(
                    body.length,
                    () -> {
                      IngestDecoder.check(name, format, contentType, body);
                      return body;
                    }))
        .onSuccess(
            body -> {
              ProfileRecord record =
                  new ProfileRecord(
                      ProfileRecord.Kind.INGEST,
                      tenant,
                      contentType == null || contentType.isBlank()
                          ? IngestDecoder.DEFAULT_CONTENT_TYPE
                          : contentType,
                      null,
                      query == null || query.isEmpty() ? null : query,
                      System.currentTimeMillis(),
                      body);
              store(
                  ctx,
                  record,
                  RecordCodec.key(tenant, name.serviceName()),
                  reservation,
                  true,
                  () -> ctx.response().setStatusCode(200).end());
            })
        .onFailure(
            e -> {
              reservation.release();
              reject(ctx, e, true);
            });
  }

  // --- shared ---

  /** Runs a decoding step inline when the body is small, else on the bounded parse pool. */
  private <T> Future<T> parse(int size, Callable<T> step) {
    if (size > INLINE_PARSE_BYTES) {
      return parser.executeBlocking(step, false);
    }
    try {
      return Future.succeededFuture(step.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Counts every answered request by route and status, with the bytes it carried; marks its slot in
   * use. A request of a connection without a slot (refused by conn_limit: Vert.x shows the
   * connection only once its first request head is complete, so that request still arrives) is
   * dropped unanswered with its connection, never stored: its client gets no answer and sends it
   * again.
   */
  private void count(RoutingContext ctx) {
    long received = System.nanoTime();
    ctx.put(RECEIVED_AT, received);
    HttpConnection connection = ctx.request().connection();
    if (!slots.holds(connection)) {
      connection.close();
      return;
    }
    slots.requestStarted(connection);
    ctx.addEndHandler(
        v -> {
          slots.requestEnded(connection);
          metrics.request(
              route(ctx),
              Integer.toString(ctx.response().getStatusCode()),
              ctx.request().bytesRead());
        });
    ctx.next();
  }

  /**
   * The route label of a request: "push", "ingest", or "unknown" for a path neither serves (a
   * scanner, a typo), so its 404s do not count as failed ingests.
   */
  private static String route(RoutingContext ctx) {
    String path = ctx.request().path();
    if (PyroscopeHttp.PUSH_PATH.equals(path)) {
      return "push";
    }
    return INGEST_PATHS.contains(path) ? "ingest" : "unknown";
  }

  /**
   * Writes to every forward_to topic; answers success only when all acknowledged. The reservation
   * is held until Kafka answered, whatever the client was told meanwhile.
   */
  private void store(
      RoutingContext ctx,
      ProfileRecord record,
      String key,
      InflightBytes.Reservation reservation,
      boolean ingest,
      Runnable onStored) {
    if (!reservation.growTo(record.payload().length)) {
      reservation.release();
      reject(ctx, new BodyReader.BusyException(), ingest);
      return;
    }
    List<Future<Void>> writes = new ArrayList<>(receivers.size());
    for (ProfileReceiver receiver : receivers) {
      writes.add(receiver.append(record, key));
    }
    Future.all(writes)
        .onComplete(
            result -> {
              reservation.release();
              if (result.succeeded()) {
                Long receivedAt = ctx.get(RECEIVED_AT);
                if (receivedAt != null) {
                  metrics.stored(
                      ingest ? "ingest" : "push", (System.nanoTime() - receivedAt) / 1e9);
                }
                if (!ctx.response().ended()) {
                  onStored.run();
                }
              } else if (result.cause() instanceof Rejection) {
                // A pyroscope.relabel made labels Pyroscope would refuse.
                reject(ctx, result.cause(), ingest);
              } else {
                log.warn("profile not stored, answering 503: {}", result.cause().getMessage());
                ConnectError.send(
                    ctx,
                    503,
                    "unavailable",
                    "profile not stored: Kafka did not acknowledge it ("
                        + result.cause().getMessage()
                        + "); retry later",
                    RETRY_AFTER_SECONDS);
              }
            });
  }

  /** Answers a request that is not stored. */
  private void reject(RoutingContext ctx, Throwable e, boolean ingest) {
    if (e instanceof Rejection) {
      Rejection r = (Rejection) e;
      metrics.refused(route(ctx), r.reason.label());
      ConnectError.send(ctx, r.status, r.code, r.getMessage());
    } else if (e instanceof BodyReader.TooLargeException) {
      metrics.refused(route(ctx), Rejection.Reason.TOO_LARGE.label());
      long declared = ((BodyReader.TooLargeException) e).declared;
      if (ingest) {
        ConnectError.send(
            ctx,
            413,
            "invalid_argument",
            "request body too large: the limit is " + maxBodyBytes + " bytes");
      } else {
        ConnectError.send(
            ctx,
            413,
            "resource_exhausted",
            (declared > 0 ? "message size " + declared + " is" : "request body")
                + " larger than the limit of "
                + maxBodyBytes
                + " bytes");
      }
    } else if (e instanceof BodyReader.BusyException) {
      ConnectError.send(
          ctx,
          429,
          "resource_exhausted",
          "pyrogate is at its in-flight limit of "
              + inflight.capacity()
              + " bytes of profiles being received or waiting for Kafka; retry later",
          RETRY_AFTER_SECONDS);
    } else if (e instanceof BodyReader.AbandonedException) {
      log.debug("request abandoned: {}", e.getMessage());
    } else if (ctx.response().ended()) {
      log.debug("request failed after it was answered: {}", e.toString());
    } else {
      log.error("ingest request failed", e);
      ConnectError.send(ctx, 500, "internal", "internal error");
    }
  }

  private void methodNotAllowed(RoutingContext ctx, boolean ingest) {
    BodyReader.drain(ctx.request());
    ctx.response().putHeader("Allow", "POST");
    ConnectError.send(
        ctx,
        405,
        ingest ? "unknown" : "unimplemented",
        "method " + ctx.request().method() + " not allowed, use POST");
  }

  /**
   * After the request deadline answered a request whose body is still arriving, an HTTP/1.x
   * connection cannot carry another request until that body is read: it is closed once the answer
   * is written, so that a client trickling its body does not keep its conn_limit slot.
   */
  private static void closeIfUnread(RoutingContext ctx) {
    if (!ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2) {
      ctx.response().putHeader("Connection", "close");
      ctx.addEndHandler(v -> ctx.request().connection().close());
    }
  }

  private void failure(RoutingContext ctx, boolean ingest) {
    int status = ctx.statusCode();
    if (status == 408) {
      closeIfUnread(ctx);
      ConnectError.send(
          ctx,
          408,
          ingest ? "unknown" : "deadline_exceeded",
          "request not received and stored within "
              + "server_read_timeout of "
              + component.server().readTimeout().toSeconds()
              + " s");
    } else {
      log.error("ingest request failed", ctx.failure());
      ConnectError.send(ctx, 500, "internal", "internal error");
    }
  }
}
