package io.pyrogate.bench.jmh;

import io.pyrogate.bench.Payloads;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.pyroscope.PushBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What batching saves on delivery: the cost per profile of sending {@value #PROFILES} ~50 KB push
 * requests over HTTP to a receiver on 127.0.0.1 that parses what it gets (as a Pyroscope
 * distributor must), with {@code perRequest} profiles per request joined by {@link PushBatch}, 8
 * requests in flight like an endpoint's window. Both sides run in this JVM, so the score is the
 * client's and the receiver's CPU per profile: 1 is pyrogate without batching; the byte limit of a
 * batch ({@code Batcher.BATCH_BYTES}, 1 MiB) holds about 20.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchingBenchmark {
  static final int PROFILES = 80;
  private static final int IN_FLIGHT = 8;

  @Param({"1", "5", "20", "80"})
  public int perRequest;

  private Vertx vertx;
  private HttpServer server;
  private WebClient client;
  private List<List<byte[]>> requests;

  @Setup(Level.Trial)
  public void setup() {
    Payloads payloads =
        Payloads.load(
            Path.of(System.getProperty("bench.payloads", "bench/target/bench/payloads")),
            50 * 1024);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              try {
                                int series =
                                    PushRequest.parseFrom(body.getBytes()).getSeriesCount();
                                req.response().setStatusCode(series > 0 ? 200 : 400).end();
                              } catch (Exception e) {
                                req.response().setStatusCode(400).end();
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await();
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    requests = new ArrayList<>();
    List<byte[]> open = new ArrayList<>();
    for (int i = 0; i < PROFILES; i++) {
      open.add(payloads.push(i % Payloads.SERVICES).toByteArray());
      if (open.size() == perRequest) {
        requests.add(open);
        open = new ArrayList<>();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close().await();
  }

  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int deliver() {
    List<Future<Integer>> answers = new ArrayList<>(requests.size());
    for (List<byte[]> request : requests) {
      answers.add(
          client
              .postAbs("http://127.0.0.1:" + server.actualPort() + "/push.v1.PusherService/Push")
              .putHeader("Content-Type", "application/proto")
              .sendBuffer(PushBatch.body(request))
              .map(r -> r.statusCode()));
    }
    Future.all(answers).await();
    int ok = 0;
    for (Future<Integer> a : answers) {
      ok += a.result() == 200 ? 1 : 0;
    }
    if (ok != requests.size()) {
      throw new IllegalStateException(ok + " of " + requests.size() + " requests answered 200");
    }
    return ok;
  }
}
