package io.pyrogate.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded load against pyrogate's ingest port on 127.0.0.1, or the ports of several instances: a
 * fixed list of requests sent at a fixed rate (request i at {@code start + i / rate}, whether
 * earlier ones were answered or not, to port i modulo the number of ports), each with its own
 * timeout, in a thread of its own so that a scenario can bring its fault about meanwhile. Every
 * answer is kept with its send and answer times; the ids of the requests answered 2xx are the
 * acknowledged profiles.
 *
 * <p>With {@code retryFor} set, a request whose connection failed is sent again (every 250 ms,
 * until that long after its first try) to the next port, as an SDK behind a load balancer would see
 * it.
 */
public final class HttpLoad {
  /**
   * One request: the profile id it carries (null for none), a class for the report, path, headers
   * and body.
   */
  public record Request(
      String id, String kind, String path, Map<String, String> headers, byte[] body) {}

  /**
   * One answer: status, or -1 with the error when there was none; times are {@link
   * System#nanoTime()}.
   */
  public record Answer(
      Request request,
      long firstSentNanos,
      long sentNanos,
      long answeredNanos,
      int status,
      String error) {
    public boolean acknowledged() {
      return status / 100 == 2;
    }

    public long millis() {
      return (answeredNanos - sentNanos) / 1_000_000;
    }
  }

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final List<Integer> ports;
  private final List<Request> requests;
  private final double rate;
  private final Duration retryFor;
  private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "reliability-load");
            t.setDaemon(true);
            return t;
          });
  private final HttpClient client;
  private volatile boolean stopped;

  private HttpLoad(List<Integer> ports, List<Request> requests, double rate, Duration retryFor) {
    this.ports = List.copyOf(ports);
    this.requests = requests;
    this.rate = rate;
    this.retryFor = retryFor;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  /** Starts sending {@code requests} to 127.0.0.1:{@code port} at {@code rate} per second. */
  public static HttpLoad start(int port, List<Request> requests, double rate) {
    return start(port, requests, rate, Duration.ZERO);
  }

  /**
   * As {@link #start(int, List, double)}, sending a request again while its connection fails, for
   * up to {@code retryFor}.
   */
  public static HttpLoad start(int port, List<Request> requests, double rate, Duration retryFor) {
    return start(List.of(port), requests, rate, retryFor);
  }

  /**
   * As {@link #start(int, List, double, Duration)}, request i going to {@code ports} i modulo their
   * number, and a retry to the next one.
   */
  public static HttpLoad start(
      List<Integer> ports, List<Request> requests, double rate, Duration retryFor) {
    HttpLoad load = new HttpLoad(ports, requests, rate, retryFor);
    Thread t = new Thread(load::schedule, "reliability-load-schedule");
    t.setDaemon(true);
    t.start();
    return load;
  }

  /**
   * {@code count} push requests of {@code service} with ids {@code prefix-0} .. {@code
   * prefix-(count-1)}.
   */
  public static List<Request> pushes(String service, String prefix, int count) {
    List<Request> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      list.add(push(id, Profiles.push(service, id)));
    }
    return list;
  }

  /**
   * As {@link #pushes(String, String, int)}, spread over {@code services} services ({@code
   * service-0} ..): pyrogate keys records by tenant and service, so one service's profiles share
   * one partition, and it takes several to spread a load over a topic's partitions.
   */
  public static List<Request> pushes(String service, String prefix, int count, int services) {
    List<Request> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      list.add(push(id, Profiles.push(service + "-" + i % services, id)));
    }
    return list;
  }

  /** A push request carrying profile {@code id}. */
  public static Request push(String id, byte[] pushRequest) {
    return new Request(
        id,
        "push",
        "/push.v1.PusherService/Push",
        Map.of("Content-Type", "application/proto"),
        pushRequest);
  }

  private void schedule() {
    long start = System.nanoTime();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < requests.size() && !stopped; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(Math.min(wait, 5_000_000L));
      }
      if (stopped) {
        break;
      }
      Request r = requests.get(i);
      all.add(send(r, i, System.nanoTime()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> done.complete(null));
  }

  /** Sends {@code r} to the {@code turn}-th port (modulo their number). */
  private CompletableFuture<Void> send(Request r, int turn, long firstSent) {
    int port = ports.get(Math.floorMod(turn, ports.size()));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    r.headers().forEach(b::header);
    long sent = System.nanoTime();
    return client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.discarding())
        .handle(
            (resp, error) -> {
              long now = System.nanoTime();
              if (error != null
                  && retryFor.toNanos() > 0
                  && connectionFailed(error)
                  && now - firstSent < retryFor.toNanos()
                  && !stopped) {
                return CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS, executor))
                    .thenCompose(v -> send(r, turn + 1, firstSent));
              }
              Answer a =
                  error == null
                      ? new Answer(r, firstSent, sent, now, resp.statusCode(), null)
                      : new Answer(r, firstSent, sent, now, -1, rootName(error));
              answers.add(a);
              if (a.acknowledged() && r.id() != null) {
                acknowledged.add(r.id());
              }
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(f -> f);
  }

  private static boolean connectionFailed(Throwable error) {
    Throwable root = root(error);
    return root instanceof IOException && !(root instanceof HttpTimeoutException);
  }

  private static Throwable root(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String rootName(Throwable t) {
    return root(t).getClass().getSimpleName();
  }

  /** Stops sending what is not sent yet; what is in flight still gets its answer. */
  public void stop() {
    stopped = true;
  }

  /**
   * Waits until every request sent got its answer (each is bounded by its timeout); false after
   * {@code max}.
   */
  public boolean await(Duration max) {
    try {
      done.get(max.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Ids of the requests answered 2xx: the acknowledged profiles. */
  public Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  public List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  /** Answers so far by status ({@code 200}, {@code 503}, or the error's name). */
  public Map<String, Long> byStatus() {
    Map<String, Long> counts = new TreeMap<>();
    for (Answer a : answers()) {
      counts.merge(a.status() < 0 ? a.error() : Integer.toString(a.status()), 1L, Long::sum);
    }
    return counts;
  }

  /** Stops and releases the client's threads. */
  public void close() {
    stop();
    executor.shutdownNow();
  }
}
