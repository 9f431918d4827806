package io.pyrogate.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on 127.0.0.1 standing in for a Pyroscope server: records every request and
 * answers as told (2xx by default, an error status, or never). Given TLS server options it is an
 * HTTPS server and also records what each request's TLS session was.
 */
public final class FakePyroscope implements AutoCloseable {
  /**
   * A request as the server received it. Header names are lower case; repeated headers are joined
   * with ", "; {@code host} is HTTP/2's :authority too.
   *
   * @param answered the status it was answered with; 0 when it was never answered
   * @param receivedAtNanos when it arrived, {@link System#nanoTime()}
   */
  public record Request(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      byte[] body,
      int answered,
      long receivedAtNanos) {}

  /**
   * The TLS session a request came in: the server name the client asked for (SNI; needs {@code
   * setSni(true)}), the subject of the client's certificate (null without one), and the protocol,
   * e.g. TLSv1.3.
   */
  public record TlsSession(String serverName, String clientSubject, String protocol) {}

  private final Vertx vertx = Vertx.vertx();
  private final boolean tls;
  private final List<TlsSession> tlsSessions = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> errorBody = new AtomicReference<>("");
  private final AtomicReference<String> failureRetryAfter = new AtomicReference<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger failureStatus = new AtomicInteger(503);
  private final AtomicInteger successesLeft = new AtomicInteger();
  private volatile boolean blackhole;
  private volatile boolean echo;
  private final java.util.concurrent.atomic.AtomicLong delayMillis =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicInteger held = new AtomicInteger();
  private volatile Refusal refusal;

  private record Refusal(java.util.function.Predicate<byte[]> body, int status, String message) {}

  public FakePyroscope() {
    this(new HttpServerOptions());
  }

  public FakePyroscope(HttpServerOptions options) {
    this(options, 0);
  }

  /** Listens on {@code port}, e.g. one an endpoint was refused connections on until now. */
  public FakePyroscope(int port) {
    this(new HttpServerOptions(), port);
  }

  private FakePyroscope(HttpServerOptions options, int port) {
    tls = options.isSsl();
    server =
        await(
            vertx.createHttpServer(options).requestHandler(this::handle).listen(port, "127.0.0.1"));
  }

  private void handle(HttpServerRequest req) {
    if (req.isSSL()) {
      String subject;
      try {
        subject =
            ((java.security.cert.X509Certificate) req.connection().peerCertificates().get(0))
                .getSubjectX500Principal()
                .getName();
      } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException none) {
        subject = null;
      }
      tlsSessions.add(
          new TlsSession(
              req.connection().indicatedServerName(),
              subject,
              req.connection().sslSession().getProtocol()));
    }
    req.body()
        .onSuccess(
            body -> {
              Map<String, String> headers = new TreeMap<>();
              req.headers()
                  .forEach(
                      e ->
                          headers.merge(
                              e.getKey().toLowerCase(java.util.Locale.ROOT),
                              e.getValue(),
                              (a, b) -> a + ", " + b));
              if (!headers.containsKey("host") && req.authority() != null) {
                headers.put("host", req.authority().toString()); // HTTP/2 carries it as :authority
              }
              if (blackhole) {
                received.add(
                    new Request(
                        req.method().name(),
                        req.path(),
                        req.query(),
                        headers,
                        body.getBytes(),
                        0,
                        System.nanoTime()));
                return; // accept, never answer
              }
              int code =
                  failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                      ? failureStatus.get()
                      : successesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                          ? 200
                          : status.get();
              boolean failure = code == failureStatus.get() && code / 100 != 2;
              Refusal refuse = refusal;
              if (refuse != null && refuse.body().test(body.getBytes())) {
                received.add(
                    new Request(
                        req.method().name(),
                        req.path(),
                        req.query(),
                        headers,
                        body.getBytes(),
                        refuse.status(),
                        System.nanoTime()));
                req.response().setStatusCode(refuse.status()).end(refuse.message());
                return;
              }
              received.add(
                  new Request(
                      req.method().name(),
                      req.path(),
                      req.query(),
                      headers,
                      body.getBytes(),
                      code,
                      System.nanoTime()));
              String retryAfter = failureRetryAfter.get();
              if (failure && retryAfter != null) {
                req.response().putHeader("Retry-After", retryAfter);
              }
              String answer =
                  echo
                      ? "you sent "
                          + req.method()
                          + " "
                          + req.uri()
                          + " "
                          + headers
                          + " "
                          + body.toString(StandardCharsets.UTF_8)
                      : errorBody.get();
              long delay = delayMillis.get();
              if (delay <= 0) {
                req.response().setStatusCode(code).end(code / 100 == 2 ? "" : answer);
                return;
              }
              held.incrementAndGet();
              vertx.setTimer(
                  delay,
                  t -> {
                    held.decrementAndGet();
                    if (!req.response().closed()) {
                      req.response().setStatusCode(code).end(code / 100 == 2 ? "" : answer);
                    }
                  });
            });
  }

  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  /** The TLS session of every request received so far, in arrival order. */
  public List<TlsSession> tlsSessions() {
    return List.copyOf(tlsSessions);
  }

  /** Every request received so far, in arrival order (including failed attempts). */
  public List<Request> received() {
    return List.copyOf(received);
  }

  /** Requests this server answered 2xx to: what was delivered. */
  public List<Request> delivered() {
    return received.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  /**
   * The sample IDs of every push request delivered: what identifies "the same profile" across the
   * pipeline.
   */
  public List<String> deliveredSampleIds() {
    return delivered().stream()
        .flatMap(
            r -> {
              try {
                return Profiles.sampleIds(io.pyrogate.proto.push.v1.PushRequest.parseFrom(r.body()))
                    .stream();
              } catch (java.io.IOException e) {
                throw new AssertionError("endpoint received a body that is not a PushRequest", e);
              }
            })
        .toList();
  }

  /** The delivered push series holding the sample {@code sampleId}, as the endpoint got it. */
  public Optional<RawProfileSeries> deliveredSeries(String sampleId) {
    for (Request r : delivered()) {
      if (!r.path().endsWith("/Push")) {
        continue;
      }
      try {
        for (RawProfileSeries s : PushRequest.parseFrom(r.body()).getSeriesList()) {
          if (s.getSamplesList().stream().anyMatch(x -> x.getID().equals(sampleId))) {
            return Optional.of(s);
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("endpoint received a body that is not a PushRequest", e);
      }
    }
    return Optional.empty();
  }

  /** Answer every request with this status from now on. */
  public FakePyroscope respondWith(int code, String body) {
    status.set(code);
    errorBody.set(body);
    return this;
  }

  /** Answer the next {@code n} requests with {@code code}, then the normal status. */
  public FakePyroscope failNext(int n, int code) {
    failureStatus.set(code);
    failuresLeft.set(n);
    return this;
  }

  /**
   * Answer the next {@code n} requests with 200, then the normal status, like a crash-looping
   * server up a moment.
   */
  public FakePyroscope succeedNext(int n) {
    successesLeft.set(n);
    return this;
  }

  /** Like {@link #failNext(int, int)}, with a {@code Retry-After} header on those answers. */
  public FakePyroscope failNext(int n, int code, String retryAfter) {
    failureRetryAfter.set(retryAfter);
    return failNext(n, code);
  }

  /**
   * Answer every request {@code delay} after it arrived (zero: at once), like a server that stores
   * a profile and is slow to say so: the request counts as answered with its status from its
   * arrival on.
   */
  public FakePyroscope delayAnswers(java.time.Duration delay) {
    delayMillis.set(delay.toMillis());
    return this;
  }

  /** Requests received and waiting for their delayed answer. */
  public int held() {
    return held.get();
  }

  /**
   * Answer requests whose body matches with {@code status} and {@code message}, like a server
   * refusing bad data.
   */
  public FakePyroscope refuseWhen(
      java.util.function.Predicate<byte[]> body, int status, String message) {
    refusal = new Refusal(body, status, message);
    return this;
  }

  /**
   * Answer every request with {@code code}; an error answer's body repeats the request line, every
   * header (Authorization included) and the body, as some servers and proxies do in their error
   * pages.
   */
  public FakePyroscope echoRequests(int code) {
    echo = true;
    return respondWith(code, "");
  }

  /** Accept connections and requests but never answer, like a hung server. */
  public FakePyroscope blackhole(boolean on) {
    blackhole = on;
    return this;
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
