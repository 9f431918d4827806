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
import java.util.function.Supplier;
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

  /**
   * Creates the topics that do not exist yet; existing topics are left as they are. Instances
   * started together race to create the same topics: one creates each, and for the others the topic
   * exists, which is success. A topic that existed (made by an instance with another {@code
   * partitions}, or by hand) and has other partitions than this configuration's is reported with a
   * warning: pyrogate never changes an existing topic, and its partitions bound how many instances
   * share the topic's work.
   */
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
    List<String> madeElsewhere = new ArrayList<>(names);
    madeElsewhere.removeAll(create(missing));
    if (!madeElsewhere.isEmpty()) {
      retryingWhileUnknown(
          "describing topics " + madeElsewhere,
          () -> {
            reportPartitions(madeElsewhere);
            return null;
          });
    }
  }

  /** Creates {@code topics}; the names of those this call created (not another instance). */
  private List<String> create(List<NewTopic> topics) {
    if (topics.isEmpty()) {
      return List.of();
    }
    Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
    List<String> created = new ArrayList<>();
    for (NewTopic t : topics) {
      try {
        results.get(t.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        created.add(t.name());
        LOG.info("created topic {} ({} partitions)", t.name(), t.numPartitions());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + t.name() + ": " + EmbeddedKafka.rootMessage(e), e);
        }
        LOG.info("topic {} was created meanwhile by another pyrogate instance", t.name());
      } catch (InterruptedException | TimeoutException e) {
        throw failure("create topic " + t.name(), e);
      }
    }
    return created;
  }

  private void reportPartitions(List<String> names) {
    Map<String, TopicDescription> described = await(admin.describeTopics(names).allTopicNames());
    for (String name : names) {
      int partitions = described.get(name).partitions().size();
      if (partitions != settings.partitions()) {
        LOG.warn(
            "topic {} has {} partitions, not the {} the kafka block's partitions asks for: it"
                + " existed already (made by an instance with another configuration, or by hand) and"
                + " pyrogate never changes an existing topic; at most {} instances share its work",
            name,
            partitions,
            settings.partitions(),
            partitions);
      }
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
    retryingWhileUnknown(
        "starting offsets of group " + group,
        () -> {
          setStartingOffsets(group, topic, startingOffsets(group, topic, startFrom));
          return null;
        });
  }

  /** Where a group starts, per partition it has no committed offset for, and how it was chosen. */
  record Start(StartFrom from, Map<TopicPartition, OffsetAndMetadata> offsets, long backlog) {}

  /**
   * Where the group should start in each partition it has no committed offset for. The ends are
   * read before the committed offsets, so that instances setting up the group at once cannot lose a
   * profile: an instance that found no committed offset read its ends before another instance set
   * the start, and its own setting, should it land later, moves the start back (a few profiles
   * delivered again), never forward past profiles acknowledged after the other's start.
   */
  Start startingOffsets(String group, String topic, StartFrom startFrom) {
    TopicDescription description =
        await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    Set<TopicPartition> all = new HashSet<>();
    description.partitions().forEach(p -> all.add(new TopicPartition(topic, p.partition())));
    Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest());
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Set<TopicPartition> unset = new HashSet<>();
    for (TopicPartition tp : all) {
      if (committed.get(tp) == null) {
        unset.add(tp);
      }
    }
    StartFrom from = committed.isEmpty() ? startFrom : StartFrom.END;
    Map<TopicPartition, Long> endsOfUnset = new HashMap<>();
    unset.forEach(tp -> endsOfUnset.put(tp, ends.get(tp)));
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    long backlog = 0;
    if (!unset.isEmpty()) {
      for (Map.Entry<TopicPartition, Long> e : startOffsets(unset, from, endsOfUnset).entrySet()) {
        start.put(e.getKey(), new OffsetAndMetadata(e.getValue()));
        backlog += endsOfUnset.get(e.getKey()) - e.getValue();
      }
    }
    return new Start(from, start, backlog);
  }

  /**
   * Commits {@code start} for the group unless the group has members already (another instance's
   * consumer, which started from the start that instance set).
   */
  void setStartingOffsets(String group, String topic, Start start) {
    if (start.offsets().isEmpty()) {
      return;
    }
    try {
      admin
          .alterConsumerGroupOffsets(group, start.offsets())
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (start.from() instanceof StartFrom.End) {
        LOG.info(
            "consumer group {} starts at the end of {} for {} partition(s)",
            group,
            topic,
            start.offsets().size());
      } else {
        LOG.info(
            "consumer group {} starts from start_from \"{}\" in {} for {} partition(s): {}"
                + " record(s) stored before it to deliver",
            group,
            start.from(),
            topic,
            start.offsets().size(),
            start.backlog());
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

  /**
   * Runs {@code call} again while it fails retriably, for up to {@link #TIMEOUT_SECONDS}: right
   * after creation a topic or its partitions can still be unknown to the broker answering us ("does
   * not host this topic-partition"); that passes within moments.
   */
  private static <T> T retryingWhileUnknown(String what, Supplier<T> call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        return call.get();
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof ExecutionException ee
                && ee.getCause() instanceof RetriableException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.debug("retrying {}: {}", what, ee.getCause().getMessage());
        pause(200);
      }
    }
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
