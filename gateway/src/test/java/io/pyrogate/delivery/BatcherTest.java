package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.testing.Profiles;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batcher on a real event loop: what goes out together, when, and what is left open. */
class BatcherTest {
  private static final long HOUR = 3_600_000;
  private static final long NO_COST_LIMIT = Long.MAX_VALUE;
  private static Vertx vertx;
  private final List<Send> out = new CopyOnWriteArrayList<>();
  private long offset;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void pushRecordsOfOneTenantGoTogetherAndTenantsApart() {
    Context loop = vertx.getOrCreateContext();
    Batcher batcher = new Batcher(vertx, 1000, NO_COST_LIMIT, 50, out::add);
    onLoop(
        loop,
        () -> {
          batcher.add(held(), push("t1", 10));
          batcher.add(held(), push("t2", 11));
          batcher.add(held(), push("t1", 12));
          batcher.add(held(), push(null, 13));
          return null;
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 3);
    assertThat(out)
        .extracting(s -> s.tenant + ":" + sizes(s))
        .containsExactlyInAnyOrder("t1:[10, 12]", "t2:[11]", "null:[13]");
    assertThat(out).allMatch(s -> s.bytes == sizes(s).stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void aBatchGoesWhenTheNextRecordWouldMakeItTooBigOrWhenItIsFull() {
    Context loop = vertx.getOrCreateContext();
    Batcher batcher = new Batcher(vertx, 100, NO_COST_LIMIT, HOUR, out::add);
    List<String> sent =
        onLoop(
            loop,
            () -> {
              batcher.add(held(), push("t", 60));
              batcher.add(held(), push("t", 30));
              List<String> steps = new ArrayList<>();
              steps.add("after 90: " + out.size());
              batcher.add(held(), push("t", 20)); // 110 > 100: the 90 go, the 20 open a batch
              steps.add("after 20: " + sizes(out.get(0)));
              batcher.add(held(), push("t", 80)); // exactly 100: full, goes at once
              steps.add("after 80: " + sizes(out.get(1)));
              batcher.add(held(), push("t", 150)); // bigger than a batch: goes alone
              steps.add("after 150: " + sizes(out.get(2)));
              steps.add("open: " + batcher.discardOpen().size());
              return steps;
            });
    assertThat(sent)
        .containsExactly(
            "after 90: 0",
            "after 20: [60, 30]",
            "after 80: [20, 80]",
            "after 150: [150]",
            "open: 0");
  }

  @Test
  void aBatchThatIsNotFullGoesAfterItsLinger() {
    Context loop = vertx.getOrCreateContext();
    Batcher batcher = new Batcher(vertx, 1000, NO_COST_LIMIT, 200, out::add);
    long start = System.nanoTime();
    int rightAway =
        onLoop(
            loop,
            () -> {
              batcher.add(held(), push("t", 10));
              return out.size();
            });
    assertThat(rightAway).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(200);
    assertThat(sizes(out.get(0))).containsExactly(10);
  }

  @Test
  void ingestAndEncodedPushRecordsGoAloneAtOnce() {
    Context loop = vertx.getOrCreateContext();
    Batcher batcher = new Batcher(vertx, 1000, NO_COST_LIMIT, HOUR, out::add);
    List<Send> open =
        onLoop(
            loop,
            () -> {
              batcher.add(held(), push("t", 10));
              batcher.add(
                  held(),
                  new ProfileRecord(
                      ProfileRecord.Kind.INGEST,
                      "t",
                      "binary/octet-stream",
                      null,
                      "name=a",
                      1,
                      new byte[20]));
              batcher.add(
                  held(),
                  new ProfileRecord(
                      ProfileRecord.Kind.PUSH,
                      "t",
                      "application/proto",
                      "gzip",
                      null,
                      1,
                      new byte[30]));
              return batcher.discardOpen();
            });
    assertThat(out).extracting(BatcherTest::sizes).containsExactly(List.of(20), List.of(30));
    assertThat(open).extracting(BatcherTest::sizes).containsExactly(List.of(10));
  }

  @Test
  void aBatchGoesBeforeItWouldCostMoreThanPyroscopeAdmitsInOneRequest() {
    Context loop = vertx.getOrCreateContext();
    // Each record is a few hundred bytes, but costs 3000 bytes of profile decompressed and 19 of
    // labels (Profiles.push's __name__ and service_name).
    byte[] pushRequest =
        Profiles.push("svc", Profiles.gzip(new byte[3000]), Map.of()).toByteArray();
    ProfileRecord record = ProfileRecord.push("t", pushRequest, 1);
    assertThat(RequestCost.of(record)).isEqualTo(3000 + 8 + 11 + 12 + 3);
    Batcher batcher = new Batcher(vertx, 1_000_000, 6100, HOUR, out::add);
    List<Send> open =
        onLoop(
            loop,
            () -> {
              batcher.add(held(), record);
              batcher.add(held(), record); // 6068 of 6100
              batcher.add(held(), record); // would pass the cost: the two go
              return batcher.discardOpen();
            });
    assertThat(out).extracting(s -> s.parts.size()).containsExactly(2);
    assertThat(out.get(0).cost).isEqualTo(2 * RequestCost.of(record));
    assertThat(open).extracting(s -> s.parts.size()).containsExactly(1);
  }

  @Test
  void discardedBatchesNeverGoOut() {
    Context loop = vertx.getOrCreateContext();
    Batcher batcher = new Batcher(vertx, 1000, NO_COST_LIMIT, 50, out::add);
    List<Send> open =
        onLoop(
            loop,
            () -> {
              batcher.add(held(), push("t1", 10));
              batcher.add(held(), push("t2", 10));
              return batcher.discardOpen();
            });
    assertThat(open).hasSize(2);
    // a later batch goes after its linger; had the discarded ones' timers run, they would have gone
    // first
    onLoop(
        loop,
        () -> {
          batcher.add(held(), push("t3", 10));
          return null;
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> !out.isEmpty());
    assertThat(out).extracting(s -> s.tenant).containsExactly("t3");
  }

  private ConsumerWindow.Held held() {
    return new ConsumerWindow.Held(new ConsumerRecord<>("topic", 0, offset++, "k", new byte[0]));
  }

  private static ProfileRecord push(String tenant, int bytes) {
    return ProfileRecord.push(tenant, new byte[bytes], 1);
  }

  private static List<Integer> sizes(Send s) {
    return s.parts.stream().map(p -> p.payload().length).toList();
  }

  /** Runs {@code work} on the event loop, as the endpoint does, and waits for its result. */
  private static <T> T onLoop(Context loop, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(
        v -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException | AssertionError e) {
            result.completeExceptionally(e);
          }
        });
    return result.join();
  }
}
