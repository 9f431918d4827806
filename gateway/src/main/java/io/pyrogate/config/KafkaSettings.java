package io.pyrogate.config;

import java.util.List;

/**
 * The top-level {@code kafka} block.
 *
 * @param bootstrapServers the user's cluster; empty means pyrogate runs its own embedded broker
 * @param embeddedListenAddress host:port of the embedded broker
 * @param topicPrefix prefix of every topic and consumer group pyrogate creates
 * @param partitions partitions of a newly created write topic
 * @param replicationFactor replication of a newly created topic; -1 takes the broker's default
 */
public record KafkaSettings(
    List<String> bootstrapServers,
    String embeddedListenAddress,
    String topicPrefix,
    int partitions,
    short replicationFactor) {

  public static final String DEFAULT_EMBEDDED_LISTEN_ADDRESS = "127.0.0.1:9092";
  public static final String DEFAULT_TOPIC_PREFIX = "pyrogate.";
  public static final int DEFAULT_PARTITIONS = 8;

  public KafkaSettings {
    bootstrapServers = List.copyOf(bootstrapServers);
  }

  public static KafkaSettings defaults() {
    return new KafkaSettings(List.of(), DEFAULT_EMBEDDED_LISTEN_ADDRESS, DEFAULT_TOPIC_PREFIX, DEFAULT_PARTITIONS, (short) -1);
  }

  public boolean embedded() {
    return bootstrapServers.isEmpty();
  }

  public String embeddedHost() {
    return embeddedListenAddress.substring(0, embeddedListenAddress.lastIndexOf(':'));
  }

  public int embeddedPort() {
    return Integer.parseInt(embeddedListenAddress.substring(embeddedListenAddress.lastIndexOf(':') + 1));
  }

  /** The same settings pointed at a running cluster (the embedded broker once it is up). */
  public KafkaSettings withBootstrapServers(String servers) {
    return new KafkaSettings(List.of(servers.split(",")), embeddedListenAddress, topicPrefix, partitions, replicationFactor);
  }
}
