package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.logging.ComponentLog;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared consumer window against the real broker: membership while paused, revocation, stop.
 */
@KafkaTest
class ConsumerWindowTest {
  /**
   * Far below Kafka's 5 minutes, so a test can outlast it: a paused Vert.x stream used to be
   * evicted after it.
   */
  private static final int MAX_POLL_INTERVAL_MS = 3_000;

  /**
   * Full at 5 records: the tests hold at most 5, so a window holding them all pauses its
   * partitions.
   */
  private static final ConsumerWindow.Limits LIMITS =
      new ConsumerWindow.Limits(1024 * 1024, 5, Duration.ofSeconds(5));

  private final Vertx vertx = Vertx.vertx();
  private final TestKafka broker;
  private final Admin admin;
  private final String topic = "window-" + UUID.randomUUID();
  private final String group = "window-group-" + UUID.randomUUID();

  /** Offsets of the records whose handler threw, as the window's fallback got them. */
  private final List<Long> failedOffsets = new CopyOnWriteArrayList<>();

  ConsumerWindowTest(TestKafka broker) {
    this.broker = broker;
    this.admin = broker.admin();
  }

  /** One window on the test topic, on its own event loop, handing each record to {@code work}. */
  private final class WindowVerticle extends VerticleBase {
    private final BiConsumer<ConsumerWindow, ConsumerWindow.Held> work;
    private ConsumerWindow window;

    WindowVerticle(BiConsumer<ConsumerWindow, ConsumerWindow.Held> work) {
      this.work = work;
    }

    @Override
    public Future<?> start() {
      Map<String, Object> config =
          new HashMap<>(KafkaDefaults.consumer(broker.bootstrapServers(), group));
      config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
      window =
          new ConsumerWindow(
              vertx,
              config,
              List.of(topic),
              LIMITS,
              ConsumerWindow.Gauges.none(),
              "test window",
              ComponentLog.of(ConsumerWindowTest.class, "test"));
      return window.start(
          held -> work.accept(window, held),
          (held, e) -> {
            failedOffsets.add(held.record().offset());
            window.done(held);
          });
    }

    @Override
    public Future<?> stop() {
      return window.stop();
    }

    /** What the window holds, read on its event loop. */
    int held() {
      Promise<Integer> held = Promise.promise();
      context.runOnContext(v -> held.complete(window.held()));
      return join(held.future());
    }
  }

  @AfterEach
  void close() {
    join(vertx.close());
  }

  @Test
  void pausedForSeveralMaxPollIntervalsTheConsumerStaysInItsGroupAndItsCommitsSucceed()
      throws Exception {
    createTopic(1);
    produce(0, 5);
    long outageEnds = System.nanoTime() + Duration.ofMillis(4L * MAX_POLL_INTERVAL_MS).toNanos();
    Map<Long, AtomicInteger> tries = new ConcurrentHashMap<>();
    deploy((window, held) -> tryUntil(window, held, tries, outageEnds));
    await().atMost(Duration.ofSeconds(30)).until(() -> tries.size() == 5);
    String member = onlyMember();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(committed())
                    .containsEntry(new TopicPartition(topic, 0), new OffsetAndMetadata(5)));
    assertThat(onlyMember()).as("the same member: never evicted, never rejoined").isEqualTo(member);
    assertThat(tries).as("each record handed over once, not again after a rejoin").hasSize(5);
    assertThat(tries.values()).allSatisfy(n -> assertThat(n.get()).isGreaterThan(10));
  }

  /**
   * A record whose "endpoint" is down until {@code outageEnds}: retried every 200 ms, then done.
   */
  private static void tryUntil(
      ConsumerWindow window,
      ConsumerWindow.Held held,
      Map<Long, AtomicInteger> tries,
      long outageEnds) {
    int n =
        tries.computeIfAbsent(held.record().offset(), o -> new AtomicInteger()).incrementAndGet();
    if (n > 1 && System.nanoTime() >= outageEnds) {
      window.done(held);
    } else {
      window.retryLater(
          List.of(held), Duration.ofMillis(200), () -> tryUntil(window, held, tries, outageEnds));
    }
  }

  @Test
  void aRecordWhoseHandlerThrowsGoesToTheFallbackAndDoesNotPinItsPartition() throws Exception {
    createTopic(1);
    produce(0, 3);
    deploy(
        (window, held) -> {
          if (held.record().offset() == 0) {
            throw new IllegalStateException("handler bug");
          }
          window.done(held);
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(committed())
                    .containsEntry(new TopicPartition(topic, 0), new OffsetAndMetadata(3)));
    assertThat(failedOffsets).containsExactly(0L);
  }

  @Test
  void whenAPartitionIsRevokedItsRecordsAreGivenBackUncommittedAndTheirRetriesStop()
      throws Exception {
    createTopic(2);
    produce(0, 1);
    produce(1, 1);
    Map<Integer, AtomicInteger> firstTries = new ConcurrentHashMap<>();
    WindowVerticle first = deploy((window, held) -> tryForever(window, held, firstTries));
    await().atMost(Duration.ofSeconds(30)).until(() -> firstTries.size() == 2);

    Map<Integer, Long> takenOver = new ConcurrentHashMap<>();
    deploy(
        (window, held) -> {
          takenOver.put(held.record().partition(), held.record().offset());
          window.done(held);
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> takenOver.size() == 1);
    int moved = takenOver.keySet().iterator().next();
    int kept = 1 - moved;
    assertThat(takenOver)
        .as("the new owner starts from the uncommitted record")
        .containsEntry(moved, 0L);

    // The kept partition's record goes on being retried; the moved one's is not retried any more.
    int movedTries = firstTries.get(moved).get();
    int keptTries = firstTries.get(kept).get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> firstTries.get(kept).get() >= keptTries + 10);
    assertThat(firstTries.get(moved).get())
        .isLessThanOrEqualTo(movedTries + 1); // one may have been under way
    assertThat(first.held()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(committed())
                    .containsEntry(new TopicPartition(topic, moved), new OffsetAndMetadata(1))
                    .doesNotContainKey(new TopicPartition(topic, kept)));
  }

  @Test
  void aPartitionThatMovesAwayAndComesBackIsReadFromWhereItsOwnerCommittedIt() throws Exception {
    createTopic(2);
    produce(0, 1);
    produce(1, 1);
    Map<Integer, List<Long>> firstGot = new ConcurrentHashMap<>();
    deploy((window, held) -> record(window, held, firstGot));
    await().atMost(Duration.ofSeconds(30)).until(() -> firstGot.size() == 2);

    Map<Integer, List<Long>> secondGot = new ConcurrentHashMap<>();
    WindowVerticle second = deploy((window, held) -> record(window, held, secondGot));
    // The rebalance is over once each member holds one partition; the moved one is the second's
    // (the group's member list is in no particular order).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                assignments().size() == 2
                    && assignments().stream().allMatch(a -> a.size() == 1)
                    && second.window.partitions().size() == 1);
    int moved = second.window.partitions().get(0);
    produce(moved, 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> secondGot.containsKey(moved));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(secondGot.get(moved)).containsExactly(1L, 2L));

    join(vertx.undeploy(second.deploymentID()));
    produce(moved, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(firstGot.get(moved))
                    .as("back with the first: on from the second's commit, nothing again")
                    .containsExactly(0L, 3L));
  }

  /** Notes the record's offset under its partition and is done with it. */
  private static void record(
      ConsumerWindow window, ConsumerWindow.Held held, Map<Integer, List<Long>> got) {
    got.computeIfAbsent(held.record().partition(), p -> new CopyOnWriteArrayList<>())
        .add(held.record().offset());
    window.done(held);
  }

  private static void tryForever(
      ConsumerWindow window, ConsumerWindow.Held held, Map<Integer, AtomicInteger> tries) {
    tries.computeIfAbsent(held.record().partition(), p -> new AtomicInteger()).incrementAndGet();
    window.retryLater(List.of(held), Duration.ofMillis(100), () -> tryForever(window, held, tries));
  }

  @Test
  void aRetryArmedForARecordThatIsDoneMeanwhileNeverRuns() throws Exception {
    createTopic(1);
    produce(0, 2);
    AtomicInteger retriedAfterDone = new AtomicInteger();
    AtomicInteger laterRetry = new AtomicInteger();
    deploy(
        (window, held) -> {
          if (held.record().offset() == 0) {
            window.retryLater(
                List.of(held), Duration.ofMillis(100), retriedAfterDone::incrementAndGet);
            window.done(held); // e.g. dead-lettered by another path before the timer fired
          } else {
            window.retryLater(
                List.of(held),
                Duration.ofMillis(500),
                () -> {
                  laterRetry.incrementAndGet();
                  window.done(held);
                });
          }
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> laterRetry.get() == 1);
    assertThat(retriedAfterDone).hasValue(0);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(committed())
                    .containsEntry(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));
  }

  @Test
  void stoppingGivesBackWhatWaitsForARetryUncommittedWithoutWaitingForIt() throws Exception {
    createTopic(1);
    produce(0, 3);
    AtomicInteger received = new AtomicInteger();
    WindowVerticle verticle =
        deploy(
            (window, held) -> {
              received.incrementAndGet();
              if (held.record().offset() == 0) {
                window.done(held);
              } else {
                window.retryLater(List.of(held), Duration.ofHours(1), () -> window.done(held));
              }
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == 3);

    long started = System.nanoTime();
    join(vertx.undeploy(verticle.deploymentID()));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("no wait for the armed retries")
        .isLessThan(Duration.ofSeconds(4));
    assertThat(committed()).containsEntry(new TopicPartition(topic, 0), new OffsetAndMetadata(1));
  }

  private WindowVerticle deploy(BiConsumer<ConsumerWindow, ConsumerWindow.Held> work) {
    WindowVerticle verticle = new WindowVerticle(work);
    join(vertx.deployVerticle(verticle));
    return verticle;
  }

  private void createTopic(int partitions) throws Exception {
    admin
        .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private void produce(int partition, int count) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, partition, null, new byte[] {(byte) i}));
    }
    broker.produce(records);
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS);
  }

  /** The partitions of each member of the group that holds some, as the broker sees them. */
  private List<List<Integer>> assignments() throws Exception {
    return admin
        .describeConsumerGroups(List.of(group))
        .describedGroups()
        .get(group)
        .get(10, TimeUnit.SECONDS)
        .members()
        .stream()
        .map(m -> m.assignment().topicPartitions().stream().map(TopicPartition::partition).toList())
        .filter(p -> !p.isEmpty())
        .toList();
  }

  private String onlyMember() throws Exception {
    List<MemberDescription> members =
        List.copyOf(
            admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(10, TimeUnit.SECONDS)
                .members());
    assertThat(members).hasSize(1);
    return members.get(0).consumerId();
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
