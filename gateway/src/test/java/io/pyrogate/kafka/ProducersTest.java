package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several producers behind one send: every record acknowledged, and what one event loop sends keeps
 * its order.
 */
@KafkaTest
class ProducersTest {
  private static final int EVENT_LOOPS = 3;
  private static final int PER_LOOP = 200;

  private Vertx vertx;
  private Producers producers;
  private String topic;

  @BeforeEach
  void setUp(TestKafka broker) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    producers =
        new Producers(vertx, new HashMap<>(KafkaDefaults.producer(broker.bootstrapServers())), 2);
    topic = "producers-test-" + System.nanoTime();
    try (Admin admin = Admin.create(KafkaDefaults.admin(broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    producers.close(5_000).await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void recordsFromEachEventLoopAreAcknowledgedAndStayInOrder(TestKafka broker) throws Exception {
    List<Future<Void>> loops = new ArrayList<>();
    for (int loop = 0; loop < EVENT_LOOPS; loop++) {
      String sender = "loop-" + loop;
      Promise<Void> done = Promise.promise();
      // A fresh event-loop context per sender: Vert.x spreads them over the event loops as it does
      // verticles.
      vertx
          .getOrCreateContext()
          .runOnContext(
              v -> {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < PER_LOOP; i++) {
                  acks.add(
                      producers.send(
                          new ProducerRecord<>(
                              topic, sender, (sender + "#" + i).getBytes(StandardCharsets.UTF_8))));
                }
                Future.all(acks).<Void>mapEmpty().onComplete(done);
              });
      loops.add(done.future());
    }
    Future.all(loops).await(60, TimeUnit.SECONDS);

    List<ConsumerRecord<String, byte[]>> stored = broker.readAll(topic);
    assertThat(stored).hasSize(EVENT_LOOPS * PER_LOOP);
    Map<String, List<Integer>> sequenceBySender =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        r ->
                            Integer.parseInt(
                                new String(r.value(), StandardCharsets.UTF_8).split("#")[1]),
                        Collectors.toList())));
    assertThat(sequenceBySender).hasSize(EVENT_LOOPS);
    List<Integer> expected = java.util.stream.IntStream.range(0, PER_LOOP).boxed().toList();
    sequenceBySender.forEach(
        (sender, sequence) -> assertThat(sequence).as(sender).isEqualTo(expected));
  }
}
