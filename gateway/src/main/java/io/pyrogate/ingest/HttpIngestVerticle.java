package io.pyrogate.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.pyrogate.pyroscope.Gzip;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code pyroscope.receive_http} component: serves Pyroscope's push API and writes every accepted
 * profile to the topics of its {@code forward_to} write components. It answers 200 only after all of
 * them acknowledged; it never waits on delivery to an endpoint.
 */
public final class HttpIngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpIngestVerticle.class);
  public static final String PUSH_PATH = "/push.v1.PusherService/Push";
  private static final int RETRY_AFTER_SECONDS = 1;

  private final ReceiveHttpComponent component;
  private final List<ProfileReceiver> receivers;
  private final InflightBytes inflight;
  private final AtomicInteger connections;
  private HttpServer server;

  /**
   * @param connections open connections over all instances of this receiver, for {@code conn_limit}
   */
  public HttpIngestVerticle(ReceiveHttpComponent component, List<ProfileReceiver> receivers, InflightBytes inflight,
      AtomicInteger connections) {
    this.component = component;
    this.receivers = List.copyOf(receivers);
    this.inflight = inflight;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    ReceiveHttpComponent.HttpServerConfig config = component.server();
    Router router = Router.router(vertx);
    router.route().handler(TimeoutHandler.create(config.readTimeout().toMillis(), 408));
    router.route(PUSH_PATH).method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(KafkaDefaults.MAX_BODY_BYTES))
        .handler(this::push)
        .failureHandler(this::failure);
    router.route(PUSH_PATH).handler(ctx -> {
      ctx.response().putHeader("Allow", "POST");
      ConnectError.send(ctx, 405, "unimplemented", "method " + ctx.request().method() + " not allowed, use POST");
    });
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.listenAddress())
        .setPort(config.listenPort())
        .setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(options)
        .connectionHandler(this::limitConnections)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s)
        .recover(e -> Future.failedFuture(new IllegalStateException("pyroscope.receive_http \"" + component.label()
            + "\" cannot listen on " + config.listenAddress() + ":" + config.listenPort() + ": " + e.getMessage(), e)));
  }

  /** conn_limit: a connection over the limit is closed at once, as Alloy's listener does. */
  private void limitConnections(HttpConnection connection) {
    if (connections.incrementAndGet() > component.server().connLimit()) {
      connections.decrementAndGet();
      LOG.warn("pyroscope.receive_http \"{}\": conn_limit of {} reached, closing a new connection from {}",
          component.label(), component.server().connLimit(), connection.remoteAddress());
      connection.close();
      return;
    }
    connection.closeHandler(v -> connections.decrementAndGet());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void push(RoutingContext ctx) {
    String contentType = mediaType(ctx.request().getHeader("Content-Type"));
    boolean json = "application/json".equals(contentType);
    if (!json && !"application/proto".equals(contentType)) {
      ctx.response().putHeader("Accept-Post", "application/proto, application/json");
      ConnectError.send(ctx, 415, "unknown", "unsupported content type \"" + contentType
          + "\": use application/proto or application/json");
      return;
    }
    String protocolVersion = ctx.request().getHeader("Connect-Protocol-Version");
    if (protocolVersion != null && !"1".equals(protocolVersion)) {
      ConnectError.send(ctx, 400, "invalid_argument",
          "connect-protocol-version must be \"1\": got \"" + protocolVersion + "\"");
      return;
    }
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
      if (!"gzip".equalsIgnoreCase(encoding.trim())) {
        ConnectError.send(ctx, 501, "unimplemented", "unknown compression \"" + encoding + "\": supported encodings are gzip");
        return;
      }
      try {
        bytes = Gzip.inflate(bytes, KafkaDefaults.MAX_BODY_BYTES);
      } catch (Gzip.TooLargeException e) {
        ConnectError.send(ctx, 413, "resource_exhausted", e.getMessage());
        return;
      } catch (java.io.IOException e) {
        ConnectError.send(ctx, 400, "invalid_argument", "invalid gzip body: " + e.getMessage());
        return;
      }
    }
    PushRequest request;
    try {
      if (json) {
        PushRequest.Builder builder = PushRequest.newBuilder();
        JsonFormat.parser().merge(new String(bytes, StandardCharsets.UTF_8), builder);
        request = builder.build();
        bytes = request.toByteArray();
      } else {
        request = PushRequest.parseFrom(bytes);
      }
    } catch (InvalidProtocolBufferException e) {
      ConnectError.send(ctx, 400, "invalid_argument", "unmarshal message: " + e.getMessage());
      return;
    }
    if (request.getSeriesCount() == 0) {
      ConnectError.send(ctx, 400, "invalid_argument", "no profiles received");
      return;
    }
    String tenant = ctx.request().getHeader("X-Scope-OrgID");
    ProfileRecord record = ProfileRecord.push(tenant, bytes, System.currentTimeMillis());
    store(ctx, record, RecordCodec.key(tenant, serviceName(request)), () -> ctx.response().setStatusCode(200)
        .putHeader("Content-Type", json ? "application/json" : "application/proto").end(json ? "{}" : ""));
  }

  /** Writes to every forward_to topic; answers success only when all acknowledged. */
  private void store(RoutingContext ctx, ProfileRecord record, String key, Runnable onStored) {
    long size = record.payload().length;
    if (!inflight.tryAcquire(size)) {
      ConnectError.send(ctx, 429, "resource_exhausted", "pyrogate is at its in-flight limit of "
          + inflight.capacity() + " bytes waiting for Kafka; retry later", RETRY_AFTER_SECONDS);
      return;
    }
    List<Future<Void>> writes = new ArrayList<>(receivers.size());
    for (ProfileReceiver receiver : receivers) {
      writes.add(receiver.append(record, key));
    }
    Future.all(writes).onComplete(result -> {
      inflight.release(size);
      if (result.succeeded()) {
        onStored.run();
      } else {
        LOG.warn("profile not stored, answering 503: {}", result.cause().getMessage());
        ConnectError.send(ctx, 503, "unavailable", "profile not stored: Kafka did not acknowledge it ("
            + result.cause().getMessage() + "); retry later", RETRY_AFTER_SECONDS);
      }
    });
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == 413) {
      ConnectError.send(ctx, 413, "resource_exhausted",
          "request body larger than the limit of " + KafkaDefaults.MAX_BODY_BYTES + " bytes");
    } else if (status == 408) {
      ConnectError.send(ctx, 408, "deadline_exceeded", "request not received and stored within server_read_timeout of "
          + component.server().readTimeout().toSeconds() + " s");
    } else if (status == 400) {
      ConnectError.send(ctx, 400, "invalid_argument", "cannot read request body"
          + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage()));
    } else {
      LOG.error("ingest request failed", ctx.failure());
      ConnectError.send(ctx, 500, "internal", "internal error");
    }
  }

  private static String serviceName(PushRequest request) {
    for (LabelPair label : request.getSeries(0).getLabelsList()) {
      if ("service_name".equals(label.getName())) {
        return label.getValue();
      }
    }
    return "";
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }
}
