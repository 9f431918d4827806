package io.pyrogate.reliability;

import io.pyrogate.bench.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A Pyroscope endpoint stand-in on a fixed 127.0.0.1 port that records, by {@code rel_id}, every
 * attempt and every delivery (an attempt it answered 2xx). Its {@link Behaviour} can change while
 * it runs, and it can go down (stop listening) and come back on the same port. {@code POST /token}
 * answers an OAuth2 client-credentials grant.
 */
public final class RecordingEndpoint implements AutoCloseable {
  /** How the endpoint answers a push or ingest request. */
  public enum Behaviour {
    /** 200 at once. */
    HEALTHY,
    /** 200 after {@link #delay}. */
    SLOW,
    /** Reads the request and never answers. */
    BLACKHOLE,
    /** 429 with {@code Retry-After: 1} until the throttle ends, then 200. */
    THROTTLE,
    /** 400 whose body echoes every request header (as some servers do): a permanent refusal. */
    REFUSE_ECHO
  }

  private final Vertx vertx;
  private final String name;
  private final int port;
  private final Map<String, AtomicLong> deliveries = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> attempts = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, Long> firstDelivered = new ConcurrentHashMap<>();
  private volatile Behaviour behaviour = Behaviour.HEALTHY;
  private volatile long delayMillis;
  private volatile long throttleUntilNanos;
  private volatile String accessToken = "";
  private HttpServer server;

  private RecordingEndpoint(Vertx vertx, String name, int port) {
    this.vertx = vertx;
    this.name = name;
    this.port = port;
  }

  /**
   * An endpoint named {@code name} (pyrogate's endpoint name) on a free port; listening when {@code
   * up}.
   */
  public static RecordingEndpoint create(Vertx vertx, String name, boolean up) {
    RecordingEndpoint e = new RecordingEndpoint(vertx, name, Ports.free());
    if (up) {
      e.up();
    }
    return e;
  }

  /** Starts listening on its port (again). */
  public synchronized RecordingEndpoint up() {
    if (server != null) {
      return this;
    }
    HttpServer s =
        vertx.createHttpServer(
            new HttpServerOptions().setHost("127.0.0.1").setPort(port).setIdleTimeout(0));
    s.requestHandler(this::handle);
    try {
      s.listen().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("endpoint " + name + " could not listen on " + port, e);
    }
    server = s;
    return this;
  }

  /** Stops listening and closes its connections: the endpoint is down (connection refused). */
  public synchronized RecordingEndpoint down() {
    if (server != null) {
      try {
        server.close().await(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("endpoint " + name + " did not stop", e);
      }
      server = null;
    }
    return this;
  }

  public RecordingEndpoint behave(Behaviour b) {
    this.behaviour = b;
    return this;
  }

  /** Answers 200 after {@code millis}. */
  public RecordingEndpoint slow(long millis) {
    this.delayMillis = millis;
    return behave(Behaviour.SLOW);
  }

  /** Answers 429 with {@code Retry-After: 1} for {@code millis} from now, then 200. */
  public RecordingEndpoint throttleFor(long millis) {
    this.throttleUntilNanos = System.nanoTime() + millis * 1_000_000L;
    return behave(Behaviour.THROTTLE);
  }

  /** The access token {@code POST /token} hands out. */
  public RecordingEndpoint accessToken(String token) {
    this.accessToken = token;
    return this;
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              if (req.path().endsWith("/token")) {
                req.response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        "{\"access_token\":\""
                            + accessToken
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                return;
              }
              requests.incrementAndGet();
              List<String> ids =
                  List.copyOf(Profiles.ids(decode(req.getHeader("Content-Encoding"), body)));
              long now = System.nanoTime();
              for (String id : ids) {
                List<Long> times = attempts.computeIfAbsent(id, k -> new ArrayList<>());
                synchronized (times) {
                  times.add(now);
                }
              }
              switch (behaviour) {
                case HEALTHY -> ok(req, ids);
                case SLOW -> vertx.setTimer(Math.max(1, delayMillis), t -> ok(req, ids));
                case BLACKHOLE -> {}
                case THROTTLE -> {
                  if (System.nanoTime() < throttleUntilNanos) {
                    req.response()
                        .setStatusCode(429)
                        .putHeader("Retry-After", "1")
                        .end(
                            "{\"code\":\"resource_exhausted\",\"message\":\"push rate limit exceeded\"}");
                  } else {
                    ok(req, ids);
                  }
                }
                case REFUSE_ECHO -> {
                  StringBuilder echo = new StringBuilder("refused; your request headers were:");
                  req.headers()
                      .forEach(
                          h ->
                              echo.append(' ')
                                  .append(h.getKey())
                                  .append(": ")
                                  .append(h.getValue())
                                  .append(';'));
                  req.response()
                      .setStatusCode(400)
                      .end(
                          "{\"code\":\"invalid_argument\",\"message\":\""
                              + echo.toString().replace("\"", "'")
                              + "\"}");
                }
                default -> throw new IllegalStateException(behaviour.toString());
              }
            });
  }

  private void ok(HttpServerRequest req, List<String> ids) {
    req.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/proto")
        .end()
        .onSuccess(
            v -> {
              long now = System.nanoTime();
              for (String id : ids) {
                firstDelivered.putIfAbsent(id, now);
                deliveries.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
              }
            });
  }

  private static byte[] decode(String encoding, Buffer body) {
    if (!"gzip".equalsIgnoreCase(encoding)) {
      return body.getBytes();
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Times {@code id} was delivered (answered 2xx). */
  public long deliveries(String id) {
    AtomicLong n = deliveries.get(id);
    return n == null ? 0 : n.get();
  }

  /** Distinct profiles delivered. */
  public int delivered() {
    return deliveries.size();
  }

  /** Deliveries beyond the first of each profile. */
  public long duplicates() {
    return deliveries.values().stream().mapToLong(n -> n.get() - 1).sum();
  }

  /** Attempt times ({@link System#nanoTime()}) of {@code id}, answered or not. */
  public List<Long> attempts(String id) {
    List<Long> times = attempts.getOrDefault(id, List.of());
    synchronized (times) {
      return List.copyOf(times);
    }
  }

  /** Every id an attempt carried. */
  public Set<String> attemptedIds() {
    return Set.copyOf(attempts.keySet());
  }

  /** Push and ingest requests received. */
  public long requests() {
    return requests.get();
  }

  /**
   * When the first of {@code ids} was first delivered ({@link System#nanoTime()}), 0 when none was
   * yet.
   */
  public long firstDeliveryOf(Collection<String> ids) {
    long first = 0;
    for (String id : ids) {
      Long t = firstDelivered.get(id);
      if (t != null && (first == 0 || t < first)) {
        first = t;
      }
    }
    return first;
  }

  @Override
  public void close() {
    down();
  }
}
