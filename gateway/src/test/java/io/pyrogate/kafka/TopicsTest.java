package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.StartFrom;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.LogCapture;
import io.pyrogate.testing.TestKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Topic creation at start as several instances with one configuration do it against one broker. */
@KafkaTest
class TopicsTest {
  private final TestKafka kafka;
  private final KafkaSettings settings;

  TopicsTest(TestKafka kafka) {
    this.kafka = kafka;
    this.settings = kafka.settings();
  }

  @Test
  void instancesStartedTogetherAllSucceedAndTheTopicsGetTheConfiguredPartitions() throws Exception {
    List<String> names =
        List.of(Topics.writeTopic(settings, "w"), Topics.deadLetterTopic(settings, "w"));
    int instances = 4;
    CyclicBarrier together = new CyclicBarrier(instances);
    List<Admin> admins = new ArrayList<>();
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        Admin admin = Admin.create(KafkaDefaults.admin(kafka.bootstrapServers()));
        admins.add(admin);
        Topics topics = new Topics(admin, settings);
        starts.add(
            CompletableFuture.runAsync(
                () -> {
                  awaitBarrier(together);
                  topics.ensureTopics(names);
                }));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      admins.forEach(Admin::close);
    }

    Map<String, TopicDescription> described =
        kafka.admin().describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
    assertThat(described.values())
        .allSatisfy(d -> assertThat(d.partitions()).hasSize(settings.partitions()));
  }

  @Test
  void aTopicThatExistsWithOtherPartitionsIsReportedAndLeftAsItIs() throws Exception {
    String topic = Topics.writeTopic(settings, "w");
    int others = settings.partitions() + 3;
    kafka
        .admin()
        .createTopics(List.of(new NewTopic(topic, others, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);

    try (LogCapture logs = LogCapture.atInfo()) {
      new Topics(kafka.admin(), settings).ensureTopics(List.of(topic));

      assertThat(logs.lines())
          .filteredOn(l -> l.contains("level=warn") && l.contains(topic))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains(
                          "has " + others + " partitions",
                          "not the " + settings.partitions(),
                          "at most " + others + " instances share its work"));
    }
    TopicDescription d =
        kafka
            .admin()
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic);
    assertThat(d.partitions()).hasSize(others);
  }

  @Test
  void aTopicWithTheConfiguredPartitionsIsNotReported() throws Exception {
    String topic = Topics.writeTopic(settings, "w");
    new Topics(kafka.admin(), settings).ensureTopics(List.of(topic));

    try (LogCapture logs = LogCapture.atInfo()) {
      new Topics(kafka.admin(), settings).ensureTopics(List.of(topic));

      assertThat(logs.lines()).noneMatch(l -> l.contains("level=warn") && l.contains(topic));
    }
  }

  @Test
  void anInstanceThatSetsAGroupsStartLateMovesItBackNeverPastWhatWasAcknowledgedAfterAnothersStart()
      throws Exception {
    String topic = Topics.writeTopic(settings, "w");
    String group = Topics.endpointGroup(settings, "w", "a");
    Topics first = new Topics(kafka.admin(), settings);
    Topics second = new Topics(kafka.admin(), settings);
    first.ensureTopics(List.of(topic));
    TopicPartition p0 = new TopicPartition(topic, 0);
    produce(p0, 2); // acknowledged before the endpoint existed

    // The second instance found no committed offset, then the first one set the start and took
    // profiles; the second one's setting lands last.
    Topics.Start planned = second.startingOffsets(group, topic, StartFrom.END);
    first.initGroupOffsets(group, topic, StartFrom.END);
    produce(p0, 3);
    second.setStartingOffsets(group, topic, planned);

    Map<TopicPartition, OffsetAndMetadata> committed =
        kafka
            .admin()
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    assertThat(committed.get(p0).offset())
        .as("at most where the first instance started: the 3 profiles after it are delivered")
        .isLessThanOrEqualTo(2);
  }

  private void produce(TopicPartition tp, int count) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(tp.topic(), tp.partition(), null, new byte[] {(byte) i}));
    }
    kafka.produce(records);
  }

  private static void awaitBarrier(CyclicBarrier barrier) {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
