package io.pyrogate.bench;

import io.pyrogate.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs every benchmark of issue 7 in one go and appends one JSON line per result to {@code
 * OUT/results.jsonl}: startup, baseline A, ingest only at fixed offered rates and max, end to end
 * with one endpoint, with three healthy endpoints and with one of three blackholed, heap over a
 * period with that endpoint down, two instances on one broker against one, the smallest heap that
 * keeps the end-to-end max rate with an endpoint down, and baseline B (nginx). Everything listens
 * and connects on 127.0.0.1 only, and every step is bounded in time.
 *
 * <pre>
 * BenchRun --jar gateway/target/pyrogate.jar --out bench/target/bench [--duration 20] [--heap-seconds 180]
 *          [--warmup 240] [--rates 100,300,1000] [--connections 256] [--nginx /usr/sbin/nginx] [--java-opts "-Xmx1g"]
 *          [--only e2e_1,blackhole]   (to profile or tune one step; the report then lacks the others)
 * </pre>
 */
public final class BenchRun {
  /** Length of one warm-up load run; the JIT's share is measured over each. */
  private static final double WARMUP_CHUNK_S = 10;

  /**
   * Shortest warm-up, unless {@code --warmup} is shorter: the JIT is never quiet in the first
   * minute.
   */
  private static final double WARMUP_MIN_S = 60;

  /** The compiler threads' share of one core under which the JIT counts as settled. */
  private static final double JIT_SETTLED = 0.05;

  /** Heaps the min_heap step tries, largest first. */
  private static final int[] HEAPS_MIB = {1024, 512, 384, 256, 192, 128, 96, 64};

  /**
   * Share of the best end-to-end rate of the larger heaps that a smaller heap must keep to sustain
   * it.
   */
  private static final double SUSTAINED = 0.9;

  /**
   * Longest warm-up of each min_heap process: the full warm-up for each of eight processes would
   * take half an hour. Every heap gets the same, so their rates compare.
   */
  private static final double MIN_HEAP_WARMUP_S = 60;

  private final Path jar;
  private final Path out;
  private final double duration;
  private final double heapSeconds;

  /**
   * Most seconds of max-rate load each pyrogate process gets before its first measured step (JIT
   * warm-up).
   */
  private final double warmup;

  private final double[] rates;
  private final int connections;
  private final Path nginx;
  private final List<String> javaOpts;
  private final Path results;

  /**
   * Steps to run (startup, baseline_a, ingest, e2e_1, e2e_3, blackhole, scale, min_heap,
   * baseline_b); empty: all.
   */
  private Set<String> only = Set.of();

  private BenchRun(
      Path jar,
      Path out,
      double duration,
      double heapSeconds,
      double warmup,
      double[] rates,
      int connections,
      Path nginx,
      List<String> javaOpts) {
    this.jar = jar;
    this.out = out;
    this.duration = duration;
    this.heapSeconds = heapSeconds;
    this.warmup = warmup;
    this.rates = rates;
    this.connections = connections;
    this.nginx = nginx;
    this.javaOpts = javaOpts;
    this.results = out.resolve("results.jsonl");
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of("gateway/target/pyrogate.jar");
    Path out = Path.of("bench/target/bench");
    double duration = 20;
    double heap = 180;
    double warmup = 240;
    double[] rates = {100, 300, 1000};
    int connections = 256;
    Path nginx = null;
    List<String> javaOpts = new ArrayList<>();
    Set<String> only = Set.of();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--jar":
          jar = Path.of(v);
          i++;
          break;
        case "--out":
          out = Path.of(v);
          i++;
          break;
        case "--duration":
          duration = Double.parseDouble(v);
          i++;
          break;
        case "--heap-seconds":
          heap = Double.parseDouble(v);
          i++;
          break;
        case "--warmup":
          warmup = Double.parseDouble(v);
          i++;
          break;
        case "--rates":
          rates = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
          i++;
          break;
        case "--connections":
          connections = Integer.parseInt(v);
          i++;
          break;
        case "--nginx":
          nginx = v.isEmpty() ? null : Path.of(v);
          i++;
          break;
        case "--only":
          only = Set.of(v.split(","));
          i++;
          break;
        case "--java-opts":
          javaOpts = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
          i++;
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("results.jsonl"));
    BenchRun run =
        new BenchRun(jar, out, duration, heap, warmup, rates, connections, nginx, javaOpts);
    run.only = only;
    run.runAll();
    // Receivers and clients are non-daemon Vert.x threads; the run is over.
    System.exit(0);
  }

  private void runAll() throws Exception {
    Payloads payloads = Payloads.load(out.resolve("payloads"), 50 * 1024);
    List<LoadGen.Target> push = new ArrayList<>();
    List<LoadGen.Target> ingest = new ArrayList<>();
    byte[] multipart = payloads.ingestMultipart();
    for (int i = 0; i < Payloads.SERVICES; i++) {
      push.add(
          new LoadGen.Target(
              "/push.v1.PusherService/Push",
              "application/proto",
              Buffer.buffer(payloads.push(i).toByteArray())));
      ingest.add(
          new LoadGen.Target(
              "/ingest?" + Payloads.ingestQuery(i),
              Payloads.ingestContentType(),
              Buffer.buffer(multipart)));
    }
    emit(
        new JsonObject()
            .put("bench", "run")
            .put("duration_s", duration)
            .put("warmup_s", warmup)
            .put("warmup_min_s", Math.min(warmup, WARMUP_MIN_S))
            .put("warmup_chunk_s", WARMUP_CHUNK_S)
            .put("jit_settled_share", JIT_SETTLED)
            .put("heap_s", heapSeconds));
    emit(
        new JsonObject()
            .put("bench", "payloads")
            .put("push_request_bytes", push.get(0).body().length())
            .put("pprof_gz_bytes", payloads.pprofGz().length)
            .put("jfr_gz_bytes", payloads.jfrGz().length)
            .put("ingest_multipart_bytes", multipart.length));

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (LoadGen gen = new LoadGen(vertx);
        Receiver r1 = Receiver.start(vertx, false);
        Receiver r2 = Receiver.start(vertx, false);
        Receiver r3 = Receiver.start(vertx, false);
        Receiver hole = Receiver.start(vertx, true)) {
      // 1. Startup, baseline A on the same broker, ingest only.
      if (want("startup") || want("baseline_a") || want("ingest"))
        try (Pyrogate p = Pyrogate.start(jar, out.resolve("run-ingest"), List.of(), javaOpts)) {
          emit(
              memory(
                  new JsonObject().put("bench", "startup").put("ready_ms", p.startupMillis()), p));
          // The warm-up also warms the broker that baseline A writes to.
          warmUp("ingest", gen, p, push, List.of());
          log("baseline A against pyrogate's embedded broker");
          if (want("baseline_a"))
            emit(
                memory(
                    BaselineA.run(p.bootstrapServers(), 8, payloads, duration)
                        .put("bench", "baseline_a"),
                    p));
          if (want("ingest")) {
            // Baseline A leaves gigabytes for the kernel to write back, which can stall the broker
            // under the open-loop
            // steps that follow (in one run without this, 300 req/s had a p99 of 51 ms between
            // steps of 11 and 8 ms).
            if (want("baseline_a")) settle();
            for (double rate : rates) {
              log("ingest at " + rate + " req/s");
              emit(
                  memory(
                      cpu(
                              p,
                              () ->
                                  gen.run(LoadGen.Options.of(p.ingestPort(), rate, duration), push))
                          .put("bench", "ingest"),
                      p));
            }
            log("ingest at max");
            emit(
                memory(
                    cpu(
                            p,
                            () ->
                                gen.run(
                                    LoadGen.Options.of(p.ingestPort(), 0, duration)
                                        .withConnections(connections),
                                    push))
                        .put("bench", "ingest"),
                    p));
            log("ingest (JFR multipart to /ingest) at max");
            emit(
                memory(
                    cpu(
                            p,
                            () ->
                                gen.run(
                                    LoadGen.Options.of(p.ingestPort(), 0, duration)
                                        .withConnections(connections),
                                    ingest))
                        .put("bench", "ingest_jfr"),
                    p));
          }
          // Baseline A again after the ingest steps: the machine's noise shows as the spread of the
          // two.
          log("baseline A again");
          if (want("baseline_a")) settle();
          if (want("baseline_a"))
            emit(
                memory(
                    BaselineA.run(p.bootstrapServers(), 8, payloads, duration)
                        .put("bench", "baseline_a"),
                    p));
        }

      // 2. End to end, one endpoint.
      if (want("e2e_1"))
        try (Pyrogate p =
            Pyrogate.start(
                jar,
                out.resolve("run-e2e-1"),
                List.of(new Pyrogate.Endpoint("a", r1.port())),
                javaOpts)) {
          warmUp("e2e 1 endpoint", gen, p, push, List.of(r1));
          log("end to end, 1 endpoint, max");
          emit(memory(cpu(p, () -> endToEnd(gen, p, push, List.of(r1))).put("bench", "e2e_1"), p));
        }

      // 3. Three endpoints all healthy, then one of three blackholed, then heap with it down.
      if (want("e2e_3"))
        try (Pyrogate p =
            Pyrogate.start(
                jar,
                out.resolve("run-e2e-3"),
                List.of(
                    new Pyrogate.Endpoint("a", r1.port()),
                    new Pyrogate.Endpoint("b", r2.port()),
                    new Pyrogate.Endpoint("c", r3.port())),
                javaOpts)) {
          warmUp("e2e 3 healthy", gen, p, push, List.of(r1, r2, r3));
          log("end to end, 3 healthy endpoints, max");
          emit(
              memory(
                  cpu(p, () -> endToEnd(gen, p, push, List.of(r1, r2)))
                      .put("bench", "e2e_3_healthy"),
                  p));
        }
      if (want("blackhole"))
        try (Pyrogate p =
            Pyrogate.start(
                jar,
                out.resolve("run-e2e-3bh"),
                List.of(
                    new Pyrogate.Endpoint("a", r1.port()),
                    new Pyrogate.Endpoint("b", r2.port()),
                    new Pyrogate.Endpoint("c", hole.port())),
                javaOpts)) {
          warmUp("e2e 1 of 3 blackholed", gen, p, push, List.of(r1, r2));
          log("end to end, 2 healthy + 1 blackholed endpoint, max");
          emit(
              memory(
                  cpu(p, () -> endToEnd(gen, p, push, List.of(r1, r2)))
                      .put("bench", "e2e_3_blackhole"),
                  p));
          log("heap for " + heapSeconds + " s with one endpoint down, 100 req/s");
          emit(heapOverTime(gen, p, push, List.of(r1, r2)));
        }

      // 4. Two instances on one broker against one, end to end with one endpoint.
      if (want("scale")) {
        scaleOut(gen, push, r1);
      }

      // 5. The smallest heap that keeps the end-to-end max rate with an endpoint down.
      if (want("min_heap")) {
        minHeap(gen, push, r1, hole);
      }

      // 6. Baseline B: nginx relaying to the same receiver.
      if (!want("baseline_b")) {
        log("baseline B not asked for");
      } else if (nginx != null) {
        try (Nginx n =
            Nginx.start(
                nginx,
                out.resolve("nginx"),
                r1.port(),
                Runtime.getRuntime().availableProcessors())) {
          gen.run(
              LoadGen.Options.of(n.port(), 0, Math.max(2, Math.min(warmup, 10)))
                  .withConnections(connections),
              push);
          log("baseline B (nginx) at 300 req/s and max");
          emit(
              gen.run(LoadGen.Options.of(n.port(), 300, duration), push)
                  .put("bench", "baseline_b"));
          long before = r1.profiles();
          JsonObject max =
              gen.run(LoadGen.Options.of(n.port(), 0, duration).withConnections(connections), push);
          emit(max.put("bench", "baseline_b").put("received", r1.profiles() - before));
        }
      } else {
        emit(new JsonObject().put("bench", "baseline_b").put("skipped", "nginx not found"));
      }
    }
  }

  /**
   * Max-rate load, not measured, until pyrogate's JIT compilers go quiet, so that the measured
   * steps see the steady state of a long-running gateway. With Kafka's broker in the same JVM there
   * is a lot of code to compile: on 2 cores under load, the compiler threads use half of one core
   * for the first minute and settle after two to three. Settled means under {@link #JIT_SETTLED} of
   * one core over the last two {@link #WARMUP_CHUNK_S} s chunks; the warm-up lasts at least {@link
   * #WARMUP_MIN_S} s (or {@code --warmup}, if shorter) and at most {@code --warmup}.
   */
  private void warmUp(
      String process, LoadGen gen, Pyrogate p, List<LoadGen.Target> push, List<Receiver> healthy)
      throws IOException {
    warmUp(process, gen, List.of(p), push, healthy);
  }

  /**
   * As {@link #warmUp(String, LoadGen, Pyrogate, List, List)}, with the load spread over {@code
   * instances} until the JIT compilers of every one go quiet.
   */
  private void warmUp(
      String process,
      LoadGen gen,
      List<Pyrogate> instances,
      List<LoadGen.Target> push,
      List<Receiver> healthy)
      throws IOException {
    warmUp(process, gen, instances, push, healthy, warmup);
  }

  /** As {@link #warmUp(String, LoadGen, List, List, List)}, for at most {@code warmup} seconds. */
  private void warmUp(
      String process,
      LoadGen gen,
      List<Pyrogate> instances,
      List<LoadGen.Target> push,
      List<Receiver> healthy,
      double warmup)
      throws IOException {
    if (warmup <= 0) {
      return;
    }
    log("warm-up (" + process + "): max rate until the JIT settles, at most " + warmup + " s");
    long[] before = healthy.stream().mapToLong(Receiver::profiles).toArray();
    long t0 = System.nanoTime();
    long ok = 0;
    double[] jit = {1, 1};
    double elapsed = 0;
    while (elapsed < warmup
        && (elapsed < Math.min(warmup, WARMUP_MIN_S)
            || !(Math.max(jit[0], jit[1]) < JIT_SETTLED))) {
      long[] jit0 = instances.stream().mapToLong(Pyrogate::compilerCpuNanos).toArray();
      long c0 = System.nanoTime();
      JsonObject chunk = maxLoad(gen, instances, push, Math.min(WARMUP_CHUNK_S, warmup - elapsed));
      ok += chunk.getLong("ok");
      jit[0] = jit[1];
      jit[1] = 0;
      for (int i = 0; i < instances.size(); i++) {
        long jit1 = instances.get(i).compilerCpuNanos();
        // Unknown (no /proc): NaN, which never counts as settled, so the report says so instead
        // of claiming 0 %. With several instances, the busiest compiler counts.
        jit[1] =
            Math.max(
                jit[1],
                jit0[i] < 0 || jit1 < 0
                    ? Double.NaN
                    : (jit1 - jit0[i]) / (double) (System.nanoTime() - c0));
      }
      elapsed = (System.nanoTime() - t0) / 1e9;
    }
    double rate = ok / elapsed;
    // The measured step must not start with a backlog: the healthy endpoints catch up first
    // (bounded).
    long deadline = System.nanoTime() + (long) ((warmup + 30) * 1e9);
    boolean caughtUp = false;
    while (!caughtUp && System.nanoTime() < deadline) {
      caughtUp = true;
      for (int i = 0; i < healthy.size(); i++) {
        caughtUp &= healthy.get(i).profiles() - before[i] >= ok;
      }
      if (!caughtUp) {
        sleep(100);
      }
    }
    boolean settled = Math.max(jit[0], jit[1]) < JIT_SETTLED;
    log(
        String.format(
            Locale.ROOT,
            "warm-up (%s): %.0f s, %.0f req/s, JIT %.0f %% of one core in the last %.0f s%s%s",
            process,
            elapsed,
            rate,
            jit[1] * 100,
            WARMUP_CHUNK_S,
            settled ? "" : " (not settled)",
            caughtUp ? "" : "; the endpoints did not catch up"));
    emit(
        new JsonObject()
            .put("bench", "warmup")
            .put("process", process)
            .put("seconds", LoadGen.round(elapsed, 1))
            .put("rps", LoadGen.round(rate, 1))
            .put("jit_share", Double.isNaN(jit[1]) ? null : LoadGen.round(jit[1], 3))
            .put("settled", settled));
    settle();
  }

  /**
   * Writes the dirty page cache to disk before a measured step ({@code sync}, at most 2 minutes). A
   * minute at max rate leaves gigabytes of Kafka log unwritten, and the kernel's writeback then
   * throttles the broker in whatever step comes next: the two baseline A runs of one bench differed
   * by a factor of two without it.
   */
  private static void settle() {
    long t0 = System.nanoTime();
    try {
      Process sync =
          new ProcessBuilder("sync")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!sync.waitFor(120, TimeUnit.SECONDS)) {
        sync.destroyForcibly();
      }
    } catch (IOException e) {
      log("sync failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log(
        String.format(
            Locale.ROOT, "page cache written to disk in %.1f s", (System.nanoTime() - t0) / 1e9));
  }

  private boolean want(String step) {
    return only.isEmpty() || only.contains(step);
  }

  /** Max load into pyrogate; delivered profiles per healthy receiver during the load window. */
  private JsonObject endToEnd(
      LoadGen gen, Pyrogate p, List<LoadGen.Target> push, List<Receiver> healthy) {
    return endToEnd(gen, List.of(p), push, healthy);
  }

  /**
   * As {@link #endToEnd(LoadGen, Pyrogate, List, List)}, the load spread over {@code instances}.
   */
  private JsonObject endToEnd(
      LoadGen gen, List<Pyrogate> instances, List<LoadGen.Target> push, List<Receiver> healthy) {
    long[] before = healthy.stream().mapToLong(Receiver::profiles).toArray();
    long t0 = System.nanoTime();
    JsonObject load = maxLoad(gen, instances, push, duration);
    double window = (System.nanoTime() - t0) / 1e9;
    JsonArray perEndpoint = new JsonArray();
    double sum = 0;
    for (int i = 0; i < healthy.size(); i++) {
      double rate = (healthy.get(i).profiles() - before[i]) / window;
      perEndpoint.add(LoadGen.round(rate, 1));
      sum += rate;
    }
    // Let delivery catch up (bounded) so the next step starts from a quiet gateway, and report how
    // long.
    long accepted = load.getLong("ok");
    long drainStart = System.nanoTime();
    long drainDeadline = drainStart + (long) ((duration * 3 + 10) * 1e9);
    boolean caughtUp = false;
    while (System.nanoTime() < drainDeadline) {
      caughtUp = true;
      for (int i = 0; i < healthy.size(); i++) {
        caughtUp &= healthy.get(i).profiles() - before[i] >= accepted;
      }
      if (caughtUp) {
        break;
      }
      sleep(100);
    }
    // End to end: every accepted profile delivered to every healthy endpoint, from the load's start
    // until
    // the last endpoint caught up.
    double total = (System.nanoTime() - t0) / 1e9;
    JsonArray e2e = new JsonArray();
    double e2eSum = 0;
    for (int i = 0; i < healthy.size(); i++) {
      double rate = (healthy.get(i).profiles() - before[i]) / total;
      e2e.add(LoadGen.round(rate, 1));
      e2eSum += rate;
    }
    return load.put("delivered_per_s_per_endpoint", perEndpoint)
        .put("e2e_per_s_per_endpoint", e2e)
        .put("e2e_per_s_avg", LoadGen.round(e2eSum / healthy.size(), 1))
        .put("delivered_per_s_avg", LoadGen.round(sum / healthy.size(), 1))
        .put("window_s", LoadGen.round(window, 3))
        .put("caught_up", caughtUp)
        .put("catch_up_s", LoadGen.round((System.nanoTime() - drainStart) / 1e9, 3));
  }

  /**
   * Max-rate load for {@code seconds}, its {@code connections} split evenly over {@code instances}
   * (one load generator run per instance, at the same time): one instance's result as it is, or the
   * sum of their requests and rates, with each run under {@code per_instance}.
   */
  private JsonObject maxLoad(
      LoadGen gen, List<Pyrogate> instances, List<LoadGen.Target> push, double seconds) {
    int each = Math.max(1, connections / instances.size());
    ExecutorService threads = Executors.newFixedThreadPool(instances.size());
    List<JsonObject> results;
    try {
      List<CompletableFuture<JsonObject>> runs = new ArrayList<>();
      for (Pyrogate p : instances) {
        runs.add(
            CompletableFuture.supplyAsync(
                () ->
                    gen.run(
                        LoadGen.Options.of(p.ingestPort(), 0, seconds).withConnections(each), push),
                threads));
      }
      results = runs.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdown();
    }
    if (results.size() == 1) {
      return results.get(0);
    }
    JsonObject sum =
        new JsonObject().put("mode", "max").put("offered_rps", 0.0).put("connections", connections);
    for (String key : List.of("sent", "ok", "errors")) {
      sum.put(key, results.stream().mapToLong(r -> r.getLong(key)).sum());
    }
    sum.put("rps", LoadGen.round(results.stream().mapToDouble(r -> r.getDouble("rps")).sum(), 1));
    sum.put(
        "mb_per_s",
        LoadGen.round(results.stream().mapToDouble(r -> r.getDouble("mb_per_s")).sum(), 2));
    return sum.put("per_instance", new JsonArray(results));
  }

  /**
   * End to end at max rate with one endpoint, one instance and then two, on one broker that runs in
   * this JVM (the same for both, so the two differ only in the number of instances): the ratio of
   * two instances' end-to-end rate to one's.
   */
  private void scaleOut(LoadGen gen, List<LoadGen.Target> push, Receiver r1) throws IOException {
    Path brokerDir = out.resolve("run-scale-broker");
    if (Files.exists(brokerDir)) {
      Pyrogate.deleteTree(brokerDir);
    }
    EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, "127.0.0.1", Ports.free());
    try {
      List<Pyrogate.Endpoint> endpoint = List.of(new Pyrogate.Endpoint("a", r1.port()));
      JsonObject[] steps = new JsonObject[2];
      for (int n = 1; n <= 2; n++) {
        List<Pyrogate> instances = new ArrayList<>();
        try {
          for (int i = 1; i <= n; i++) {
            instances.add(
                Pyrogate.startOn(
                    broker.bootstrapServers(),
                    "scale" + n + ".",
                    jar,
                    out.resolve("run-scale-" + n + "-" + i),
                    endpoint,
                    javaOpts));
          }
          warmUp(n + " instance(s) on one broker", gen, instances, push, List.of(r1));
          log("end to end, 1 endpoint, " + n + " instance(s) on one broker, max");
          steps[n - 1] =
              memory(
                  cpu(instances, () -> endToEnd(gen, instances, push, List.of(r1)))
                      .put("bench", "e2e_scale")
                      .put("instances", n),
                  instances);
          emit(steps[n - 1]);
        } finally {
          instances.forEach(Pyrogate::close);
        }
      }
      double one = steps[0].getDouble("e2e_per_s_avg");
      double two = steps[1].getDouble("e2e_per_s_avg");
      emit(
          new JsonObject()
              .put("bench", "scale_ratio")
              .put("one_instance_e2e_per_s", one)
              .put("two_instances_e2e_per_s", two)
              .put("ratio", one > 0 ? LoadGen.round(two / one, 3) : null)
              .put("cores", Runtime.getRuntime().availableProcessors()));
    } finally {
      broker.close();
      Pyrogate.deleteTree(brokerDir);
    }
  }

  /**
   * The smallest {@code -Xmx} that sustains the end-to-end max rate with one endpoint down: one
   * healthy endpoint and one blackholed, on a broker outside pyrogate (as in a container
   * deployment; the embedded broker would share the heap), one process per heap of {@link
   * #HEAPS_MIB} from the largest down. A heap sustains the rate when its process stays up, every
   * request is answered 2xx, the healthy endpoint catches up, and its end-to-end rate is at least
   * {@link #SUSTAINED} of the best of the larger heaps' (not of the largest heap's alone: one slow
   * run of it would lower the bar for all). The search stops at the first heap that does not.
   */
  private void minHeap(LoadGen gen, List<LoadGen.Target> push, Receiver healthy, Receiver hole)
      throws IOException {
    Path brokerDir = out.resolve("run-heap-broker");
    if (Files.exists(brokerDir)) {
      Pyrogate.deleteTree(brokerDir);
    }
    EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, "127.0.0.1", Ports.free());
    try {
      List<Pyrogate.Endpoint> endpoints =
          List.of(
              new Pyrogate.Endpoint("a", healthy.port()),
              new Pyrogate.Endpoint("down", hole.port()));
      List<String> others =
          javaOpts.stream()
              .filter(o -> !o.startsWith("-Xmx") && !o.startsWith("-XX:MaxRAMPercentage"))
              .toList();
      double best = Double.NaN;
      Integer smallest = null;
      for (int mib : HEAPS_MIB) {
        List<String> opts = new ArrayList<>(others);
        opts.add("-Xmx" + mib + "m");
        opts.add("-XX:+ExitOnOutOfMemoryError");
        JsonObject step = new JsonObject().put("bench", "min_heap").put("xmx_mib", mib);
        Pyrogate p;
        try {
          p =
              Pyrogate.startOn(
                  broker.bootstrapServers(),
                  "heap" + mib + ".",
                  jar,
                  out.resolve("run-heap-" + mib),
                  endpoints,
                  opts);
        } catch (IllegalStateException e) {
          emit(step.put("sustained", false).put("failed", e.getMessage()));
          break;
        }
        try (p) {
          warmUp(
              "-Xmx" + mib + "m, 1 of 2 endpoints blackholed",
              gen,
              List.of(p),
              push,
              List.of(healthy),
              Math.min(warmup, MIN_HEAP_WARMUP_S));
          log("end to end with -Xmx" + mib + "m, 1 healthy + 1 blackholed endpoint, max");
          double gc0 = p.gcPauseSeconds();
          long t0 = System.nanoTime();
          JsonObject r = cpu(p, () -> endToEnd(gen, p, push, List.of(healthy)));
          double gcShare = (p.gcPauseSeconds() - gc0) / ((System.nanoTime() - t0) / 1e9);
          boolean alive = p.alive();
          double e2e = r.getDouble("e2e_per_s_avg");
          boolean sustained =
              alive
                  && r.getLong("errors") == 0
                  && r.getBoolean("caught_up")
                  && (Double.isNaN(best) || e2e >= SUSTAINED * best);
          best = Double.isNaN(best) ? e2e : Math.max(best, e2e);
          r.mergeIn(step)
              .put("alive", alive)
              .put("gc_pause_share", alive ? LoadGen.round(gcShare, 4) : null)
              .put("sustained", sustained);
          emit(alive ? memory(r, p) : r);
          if (!sustained) {
            break;
          }
          smallest = mib;
        }
      }
      emit(
          new JsonObject()
              .put("bench", "min_heap_result")
              .put("smallest_xmx_mib", smallest)
              .put("sustained_share", SUSTAINED));
    } finally {
      broker.close();
      Pyrogate.deleteTree(brokerDir);
    }
  }

  private JsonObject heapOverTime(
      LoadGen gen, Pyrogate p, List<LoadGen.Target> push, List<Receiver> healthy) {
    JsonArray heap = new JsonArray();
    JsonArray rss = new JsonArray();
    double every = heapSeconds >= 60 ? 5 : 1;
    Thread sampler =
        new Thread(
            () -> {
              long t0 = System.nanoTime();
              while (!Thread.currentThread().isInterrupted()
                  && (System.nanoTime() - t0) / 1e9 < heapSeconds + 30) {
                long[] h = p.heap();
                long r = p.rssBytes();
                synchronized (heap) {
                  heap.add(
                      new JsonArray()
                          .add(LoadGen.round((System.nanoTime() - t0) / 1e9, 1))
                          .add(h[0])
                          .add(h[1]));
                  rss.add(r);
                }
                try {
                  Thread.sleep((long) (every * 1000));
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    long[] before = healthy.stream().mapToLong(Receiver::profiles).toArray();
    sampler.start();
    JsonObject load = gen.run(LoadGen.Options.of(p.ingestPort(), 100, heapSeconds), push);
    sampler.interrupt();
    JsonArray delivered = new JsonArray();
    for (int i = 0; i < healthy.size(); i++) {
      delivered.add(healthy.get(i).profiles() - before[i]);
    }
    synchronized (heap) {
      int n = heap.size();
      int third = Math.max(1, n / 3);
      long firstMin = Long.MAX_VALUE;
      long lastMin = Long.MAX_VALUE;
      long maxHeap = 0;
      long liveFirst = -1;
      long liveLast = -1;
      for (int i = 0; i < n; i++) {
        long h = heap.getJsonArray(i).getLong(1);
        long live = heap.getJsonArray(i).getLong(2);
        if (live > 0 && i < third) {
          liveFirst = Math.max(liveFirst, live);
        }
        if (live > 0 && i >= n - third) {
          liveLast = Math.max(liveLast, live);
        }
        maxHeap = Math.max(maxHeap, h);
        if (i < third) {
          firstMin = Math.min(firstMin, h);
        }
        if (i >= n - third) {
          lastMin = Math.min(lastMin, h);
        }
      }
      return memory(
          new JsonObject()
              .put("bench", "heap_endpoint_down")
              .put("seconds", heapSeconds)
              .put("offered_rps", 100)
              .put("load", load)
              .put("delivered_healthy", delivered)
              .put("heap_floor_first_third", firstMin)
              .put("heap_floor_last_third", lastMin)
              .put("heap_max", maxHeap)
              .put("live_data_first_third", liveFirst)
              .put("live_data_last_third", liveLast)
              .put("heap_samples", heap.copy())
              .put("rss_samples", rss.copy()),
          p);
    }
  }

  /**
   * Runs a step and adds the CPU time pyrogate's process and the bench JVM (load generator and
   * receivers) used during it, and pyrogate's CPU per accepted request: an efficiency figure that
   * the machine's noise moves less than throughput.
   */
  private static JsonObject cpu(Pyrogate p, Supplier<JsonObject> step) {
    return cpu(List.of(p), step);
  }

  /** As {@link #cpu(Pyrogate, Supplier)}, pyrogate's CPU summed over {@code instances}. */
  private static JsonObject cpu(List<Pyrogate> instances, Supplier<JsonObject> step) {
    long pyrogate0 = instances.stream().mapToLong(Pyrogate::cpuNanos).sum();
    long bench0 = cpuNanos(ProcessHandle.current());
    JsonObject o = step.get();
    double pyrogate = (instances.stream().mapToLong(Pyrogate::cpuNanos).sum() - pyrogate0) / 1e9;
    double bench = (cpuNanos(ProcessHandle.current()) - bench0) / 1e9;
    long ok = o.getLong("ok", 0L);
    o.put("pyrogate_cpu_s", LoadGen.round(pyrogate, 2)).put("bench_cpu_s", LoadGen.round(bench, 2));
    if (ok > 0 && pyrogate > 0) {
      o.put("pyrogate_cpu_us_per_request", LoadGen.round(pyrogate * 1e6 / ok, 1));
    }
    return o;
  }

  static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private static JsonObject memory(JsonObject o, Pyrogate p) {
    return o.put("heap_used_bytes", p.heapUsedBytes()).put("rss_bytes", p.rssBytes());
  }

  /** Heap used and RSS summed over {@code instances}. */
  private static JsonObject memory(JsonObject o, List<Pyrogate> instances) {
    return o.put("heap_used_bytes", instances.stream().mapToLong(Pyrogate::heapUsedBytes).sum())
        .put("rss_bytes", instances.stream().mapToLong(Pyrogate::rssBytes).sum());
  }

  private void emit(JsonObject o) throws IOException {
    String line = o.put("load_avg_1m", Machine.loadAverage()).encode();
    System.out.println(line);
    Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static final long T0 = System.nanoTime();

  private static void log(String s) {
    System.err.printf(Locale.ROOT, "bench: [%6.1f s] %s%n", (System.nanoTime() - T0) / 1e9, s);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
