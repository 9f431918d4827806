package io.pyrogate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP load generator on 127.0.0.1.
 *
 * <p>Open loop ({@code rate > 0}): request i is due at {@code start + i / rate}, whether or not
 * earlier ones were answered, and its latency is measured from that intended time, so a stalled
 * server is charged for every request it delayed (no coordinated omission). Requests wait in the
 * client's connection pool when every connection is busy; that wait counts as latency too. At most
 * {@code maxInFlight} requests are outstanding; a request due while that many are outstanding is
 * not sent and counted as {@code not_sent}.
 *
 * <p>Max ({@code rate == 0}): {@code connections} loops each send the next request as soon as the
 * last one was answered, for the duration; latency is measured from the send.
 *
 * <p>Every run is bounded: the schedule is {@code rate * duration} requests, then it waits at most
 * {@code drainTimeoutMs} for outstanding answers (counted as {@code timeout} when missing).
 */
public final class LoadGen implements AutoCloseable {
  /**
   * One request to send: path with query, content type, body. The body is kept in native memory and
   * sent as a view of it, so that the load generator, which shares the cores with what it measures,
   * writes it to the socket without first copying it out of the Java heap for every request.
   */
  public record Target(String path, String contentType, Buffer body) {
    public Target {
      ByteBuf direct = Unpooled.directBuffer(body.length());
      direct.writeBytes(body.getBytes());
      body = BufferInternal.buffer(Unpooled.unreleasableBuffer(direct));
    }
  }

  public record Options(
      String host,
      int port,
      double rate,
      double durationSeconds,
      int connections,
      int maxInFlight,
      long drainTimeoutMs) {
    public Options {
      if (connections < 1 || maxInFlight < 1 || durationSeconds <= 0 || rate < 0) {
        throw new IllegalArgumentException("bad load options");
      }
    }

    public static Options of(int port, double rate, double durationSeconds) {
      return new Options("127.0.0.1", port, rate, durationSeconds, 64, 20_000, 15_000);
    }

    public Options withConnections(int n) {
      return new Options(host, port, rate, durationSeconds, n, maxInFlight, drainTimeoutMs);
    }
  }

  private static final int MAX_LATENCY_SAMPLES = 4_000_000;

  private final Vertx vertx;
  private final boolean ownVertx;

  public LoadGen() {
    this(Vertx.vertx(), true);
  }

  public LoadGen(Vertx vertx) {
    this(vertx, false);
  }

  private LoadGen(Vertx vertx, boolean own) {
    this.vertx = vertx;
    this.ownVertx = own;
  }

  /** Runs one load and returns its result as a JSON object (one line of results.jsonl). */
  public JsonObject run(Options o, List<Target> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no targets");
    }
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(o.host())
                .setDefaultPort(o.port())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(o.connections()).setMaxWaitQueueSize(-1));
    try {
      Run run = new Run(o, client, targets);
      return o.rate() > 0 ? run.openLoop() : run.closedLoop();
    } finally {
      quietly(() -> client.close().await(5, TimeUnit.SECONDS));
    }
  }

  @Override
  public void close() {
    if (ownVertx) {
      quietly(() -> vertx.close().await(10, TimeUnit.SECONDS));
    }
  }

  private final class Run {
    final Options o;
    final HttpClientAgent client;
    final List<Target> targets;
    final long[] latencies;
    final AtomicInteger recorded = new AtomicInteger();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong notSent = new AtomicLong();
    final AtomicLong lastCompletion = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final Map<String, Long> errors = new TreeMap<>();
    final Context[] contexts;
    long start;

    Run(Options o, HttpClientAgent client, List<Target> targets) {
      this.o = o;
      this.client = client;
      this.targets = targets;
      long expected =
          o.rate() > 0 ? (long) Math.ceil(o.rate() * o.durationSeconds()) : MAX_LATENCY_SAMPLES;
      this.latencies = new long[(int) Math.min(MAX_LATENCY_SAMPLES, Math.max(1, expected))];
      int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
      this.contexts = new Context[loops];
      for (int i = 0; i < loops; i++) {
        // A fresh event-loop context per call from a non-Vert.x thread: requests spread over the
        // loops.
        contexts[i] = ((VertxInternal) vertx).createEventLoopContext();
      }
    }

    JsonObject openLoop() {
      long total = (long) Math.ceil(o.rate() * o.durationSeconds());
      double intervalNanos = 1e9 / o.rate();
      start = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long intended = start + (long) (i * intervalNanos);
        long wait;
        while ((wait = intended - System.nanoTime()) > 0) {
          LockSupport.parkNanos(Math.min(wait, 1_000_000L));
        }
        if (inFlight.get() >= o.maxInFlight()) {
          notSent.incrementAndGet();
          continue;
        }
        Target t = targets.get((int) (i % targets.size()));
        inFlight.incrementAndGet();
        sent.incrementAndGet();
        contexts[(int) (i % contexts.length)].runOnContext(v -> send(t, intended, null));
      }
      return finish(total);
    }

    JsonObject closedLoop() {
      start = System.nanoTime();
      long deadline = start + (long) (o.durationSeconds() * 1e9);
      AtomicLong index = new AtomicLong();
      for (int c = 0; c < o.connections(); c++) {
        Context ctx = contexts[c % contexts.length];
        ctx.runOnContext(v -> next(index, deadline));
      }
      long end = deadline;
      while (System.nanoTime() < end) {
        LockSupport.parkNanos(10_000_000L);
      }
      return finish(-1);
    }

    private void next(AtomicLong index, long deadline) {
      long now = System.nanoTime();
      if (now >= deadline) {
        return;
      }
      Target t = targets.get((int) (index.getAndIncrement() % targets.size()));
      inFlight.incrementAndGet();
      sent.incrementAndGet();
      send(t, now, () -> next(index, deadline));
    }

    private void send(Target t, long intended, Runnable then) {
      bytesSent.addAndGet(t.body().length());
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setURI(t.path())
                  .putHeader("Content-Type", t.contentType())
                  .setIdleTimeout(30_000))
          .compose(req -> req.send(t.body()))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                inFlight.decrementAndGet();
                done.incrementAndGet();
                lastCompletion.accumulateAndGet(now, Math::max);
                if (ar.succeeded() && ar.result() / 100 == 2) {
                  ok.incrementAndGet();
                  int slot = recorded.getAndIncrement();
                  if (slot < latencies.length) {
                    latencies[slot] = now - intended;
                  }
                } else {
                  String key =
                      ar.succeeded()
                          ? "http_" + ar.result()
                          : "io_" + ar.cause().getClass().getSimpleName();
                  synchronized (errors) {
                    errors.merge(key, 1L, Long::sum);
                  }
                }
                if (then != null) {
                  then.run();
                }
              });
    }

    private JsonObject finish(long scheduled) {
      long scheduleEnd = System.nanoTime();
      long drainDeadline = scheduleEnd + o.drainTimeoutMs() * 1_000_000L;
      while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      long timedOut = inFlight.get();
      long end = Math.max(lastCompletion.get(), start + 1);
      double elapsed = (end - start) / 1e9;
      int n = Math.min(recorded.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      long errorCount;
      JsonObject errs = new JsonObject();
      synchronized (errors) {
        errors.forEach(errs::put);
        errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
      }
      if (timedOut > 0) {
        errs.put("timeout", timedOut);
      }
      if (notSent.get() > 0) {
        errs.put("not_sent", notSent.get());
      }
      return new JsonObject()
          .put("mode", o.rate() > 0 ? "open" : "max")
          .put("offered_rps", o.rate())
          .put("duration_s", o.durationSeconds())
          .put("connections", o.connections())
          .put("scheduled", scheduled)
          .put("sent", sent.get())
          .put("ok", ok.get())
          .put("errors", errorCount + timedOut + notSent.get())
          .put("error_kinds", errs)
          .put("elapsed_s", round(elapsed, 3))
          .put("rps", round(ok.get() / elapsed, 1))
          .put("mb_per_s", round(bytesSent.get() / elapsed / 1e6, 2))
          .put("p50_ms", pct(sorted, 0.50))
          .put("p90_ms", pct(sorted, 0.90))
          .put("p99_ms", pct(sorted, 0.99))
          .put("p999_ms", pct(sorted, 0.999))
          .put("max_ms", sorted.length == 0 ? null : round(sorted[sorted.length - 1] / 1e6, 3));
    }
  }

  static Double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    int idx = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return round(sorted[idx] / 1e6, 3);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** Command line: LoadGen PORT RATE SECONDS PATH CONTENT_TYPE FILE [CONNECTIONS]; rate 0 = max. */
  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println(
          "usage: LoadGen PORT RATE SECONDS PATH CONTENT_TYPE BODY_FILE [CONNECTIONS]");
      System.exit(2);
    }
    byte[] body = Files.readAllBytes(Path.of(args[5]));
    Options o =
        Options.of(
            Integer.parseInt(args[0]), Double.parseDouble(args[1]), Double.parseDouble(args[2]));
    if (args.length > 6) {
      o = o.withConnections(Integer.parseInt(args[6]));
    }
    try (LoadGen g = new LoadGen()) {
      System.out.println(
          g.run(o, List.of(new Target(args[3], args[4], Buffer.buffer(body)))).encode());
    }
  }

  interface Step {
    void run() throws Exception;
  }

  static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      // closing is best effort
    }
  }
}
