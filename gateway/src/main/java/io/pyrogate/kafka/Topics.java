package io.pyrogate.kafka;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.StartFrom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of pyrogate's topics and consumer groups, and the blocking admin operations done at start.
 * Call the operations from a worker thread, never from an event loop.
 */
public final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final KafkaSettings settings;

  public Topics(Admin admin, KafkaSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  /** The buffer topic of a {@code pyroscope.write} component, e.g. pyrogate.write.staging. */
  public static String writeTopic(KafkaSettings s, String writeLabel) {
    return s.topicPrefix() + "write." + writeLabel;
  }

  /** The dead-letter topic of a {@code pyroscope.write} component. */
  public static String deadLetterTopic(KafkaSettings s, String writeLabel) {
    return writeTopic(s, writeLabel) + ".dlq";
  }

  /**
   * The dead-letter topic of a {@code pyroscope.receive_kafka} component: records it could not
   * read.
   */
  public static String sourceDeadLetterTopic(KafkaSettings s, String sourceLabel) {
    return s.topicPrefix() + "receive_kafka." + sourceLabel + ".dlq";
  }

  /** The consumer group of one endpoint: every endpoint progresses on its own. */
  public static String endpointGroup(KafkaSettings s, String writeLabel, String endpointName) {
    return s.topicPrefix() + writeLabel + "." + endpointName;
  }

  /** Creates the topics that do not exist yet; existing topics are left as they are. */
  public void ensureTopics(List<String> names) {
    Set<String> existing = await(admin.listTopics().names());
    List<NewTopic> missing = new ArrayList<>();
    for (String name : names) {
      if (!existing.contains(name)) {
        NewTopic topic =
            new NewTopic(
                name,
                Optional.of(settings.partitions()),
                settings.replicationFactor() > 0
                    ? Optional.of(settings.replicationFactor())
                    : Optional.empty());
        topic.configs(
            Map.of("max.message.bytes", Integer.toString(KafkaDefaults.MAX_RECORD_BYTES)));
        missing.add(topic);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      missing.forEach(
          t -> LOG.info("created topic {} ({} partitions)", t.name(), t.numPartitions()));
    } catch (ExecutionException e) {
      // Another instance with the same config may have created it between our list and create.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topics " + missing + ": " + EmbeddedKafka.rootMessage(e), e);
      }
    } catch (InterruptedException | TimeoutException e) {
      throw failure("create topics " + names, e);
    }
  }

  /**
   * Gives a new consumer group its starting point: by default the current end of the topic, for
   * every partition it has no committed offset for. Done before ingest reports ready, so a new
   * endpoint receives everything acknowledged from now on, neither skipping what arrives before its
   * first poll (as "latest" would) nor replaying the whole retained backlog (as "earliest" would).
   * An endpoint's {@code start_from} moves the start of a group that has no committed offset at all
   * (a new one) to the earliest retained record or to a time; a group that committed before goes on
   * from there, whatever {@code start_from} says.
   */
  public void initGroupOffsets(String group, String topic, StartFrom startFrom) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        setStartingOffsets(group, topic, startFrom);
        return;
      } catch (IllegalStateException e) {
        // Right after creation a topic's partitions can still be unknown to the broker answering us
        // ("does not host this topic-partition"); that passes within moments.
        if (!(e.getCause() instanceof ExecutionException ee
                && ee.getCause() instanceof RetriableException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.debug("retrying starting offsets of group {}: {}", group, ee.getCause().getMessage());
        pause(200);
      }
    }
  }

  private void setStartingOffsets(String group, String topic, StartFrom startFrom) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    TopicDescription description =
        await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    Set<TopicPartition> unset = new HashSet<>();
    description
        .partitions()
        .forEach(
            p -> {
              TopicPartition tp = new TopicPartition(topic, p.partition());
              if (committed.get(tp) == null) {
                unset.add(tp);
              }
            });
    if (unset.isEmpty()) {
      return;
    }
    StartFrom start = committed.isEmpty() ? startFrom : StartFrom.END;
    Map<TopicPartition, Long> ends = offsets(unset, OffsetSpec.latest());
    Map<TopicPartition, Long> offsets = startOffsets(unset, start, ends);
    Map<TopicPartition, OffsetAndMetadata> startAt = new HashMap<>();
    offsets.forEach((tp, offset) -> startAt.put(tp, new OffsetAndMetadata(offset)));
    try {
      admin.alterConsumerGroupOffsets(group, startAt).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (start instanceof StartFrom.End) {
        LOG.info(
            "consumer group {} starts at the end of {} for {} partition(s)",
            group,
            topic,
            startAt.size());
      } else {
        long backlog =
            offsets.entrySet().stream().mapToLong(e -> ends.get(e.getKey()) - e.getValue()).sum();
        LOG.info(
            "consumer group {} starts from start_from \"{}\" in {} for {} partition(s): {}"
                + " record(s) stored before it to deliver",
            group,
            start,
            topic,
            startAt.size(),
            backlog);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        // Another instance's member already owns the group; it set the starting point.
        return;
      }
      throw new IllegalStateException(
          "cannot set starting offsets of group " + group + ": " + EmbeddedKafka.rootMessage(e), e);
    } catch (InterruptedException | TimeoutException e) {
      throw failure("set starting offsets of group " + group, e);
    }
  }

  /**
   * Where each partition starts: its end, its earliest record, or its first record stored at or
   * after a time (its end, read before, when it has none: nothing stored meanwhile is skipped).
   */
  private Map<TopicPartition, Long> startOffsets(
      Set<TopicPartition> partitions, StartFrom start, Map<TopicPartition, Long> ends) {
    if (start instanceof StartFrom.Earliest) {
      return offsets(partitions, OffsetSpec.earliest());
    } else if (start instanceof StartFrom.Timed timed) {
      long millis = timed.time(Instant.now()).toEpochMilli();
      Map<TopicPartition, Long> found = offsets(partitions, OffsetSpec.forTimestamp(millis));
      Map<TopicPartition, Long> out = new HashMap<>(ends);
      found.forEach(
          (tp, offset) -> {
            if (offset >= 0) {
              out.put(tp, offset);
            }
          });
      return out;
    }
    return ends;
  }

  private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    await(admin.listOffsets(query).all()).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka admin request failed: " + EmbeddedKafka.rootMessage(e), e);
    } catch (InterruptedException | TimeoutException e) {
      throw failure("complete a Kafka admin request", e);
    }
  }

  private static IllegalStateException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException(
        "Kafka did not answer in " + TIMEOUT_SECONDS + " s; could not " + what, e);
  }
}
