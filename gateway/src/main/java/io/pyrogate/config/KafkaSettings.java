package io.pyrogate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The top-level {@code kafka} block.
 *
 * @param bootstrapServers the user's cluster; empty means pyrogate runs its own embedded broker
 * @param embeddedListenAddress host:port of the embedded broker
 * @param topicPrefix prefix of every topic and consumer group pyrogate creates
 * @param partitions partitions of a newly created write topic
 * @param replicationFactor replication of a newly created topic; -1 takes the broker's default
 * @param tls TLS to the brokers, or null for plaintext
 * @param sasl SASL authentication to the brokers, or null for none
 * @param producer kafka-clients producer properties that override pyrogate's tuned defaults
 * @param consumer kafka-clients consumer properties that override pyrogate's tuned defaults
 */
public record KafkaSettings(
    List<String> bootstrapServers,
    String embeddedListenAddress,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    TlsConfig tls,
    Sasl sasl,
    Map<String, String> producer,
    Map<String, String> consumer) {

  public static final String DEFAULT_EMBEDDED_LISTEN_ADDRESS = "127.0.0.1:9092";
  public static final String DEFAULT_TOPIC_PREFIX = "pyrogate.";
  public static final int DEFAULT_PARTITIONS = 8;
  public static final List<String> SASL_MECHANISMS =
      List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** Keys the user may not set: they carry pyrogate's delivery guarantees or its record format. */
  public static final Set<String> PINNED =
      Set.of(
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  private static final ConfigDef PRODUCER_PROPERTIES = ProducerConfig.configDef();
  private static final ConfigDef CONSUMER_PROPERTIES = ConsumerConfig.configDef();

  /**
   * A {@code sasl} block: the mechanism and the credentials (password inline or from a file read at
   * start).
   */
  public record Sasl(String mechanism, String username, SecretSource password) {}

  public KafkaSettings {
    bootstrapServers = List.copyOf(bootstrapServers);
    producer = Map.copyOf(producer);
    consumer = Map.copyOf(consumer);
  }

  /** Plaintext, no overrides. */
  public KafkaSettings(
      List<String> bootstrapServers,
      String embeddedListenAddress,
      String topicPrefix,
      int partitions,
      short replicationFactor) {
    this(
        bootstrapServers,
        embeddedListenAddress,
        topicPrefix,
        partitions,
        replicationFactor,
        null,
        null,
        Map.of(),
        Map.of());
  }

  public static KafkaSettings defaults() {
    return new KafkaSettings(
        List.of(),
        DEFAULT_EMBEDDED_LISTEN_ADDRESS,
        DEFAULT_TOPIC_PREFIX,
        DEFAULT_PARTITIONS,
        (short) -1);
  }

  public boolean embedded() {
    return bootstrapServers.isEmpty();
  }

  public String embeddedHost() {
    return embeddedListenAddress.substring(0, embeddedListenAddress.lastIndexOf(':'));
  }

  public int embeddedPort() {
    return Integer.parseInt(
        embeddedListenAddress.substring(embeddedListenAddress.lastIndexOf(':') + 1));
  }

  /**
   * Whether the value of this kafka-clients property is never shown: Kafka treats it as a password
   * ({@code ssl.key.password}, {@code sasl.jaas.config}, {@code ssl.keystore.key}, ...), or does
   * not know it.
   */
  public static boolean secretProperty(String name) {
    ConfigDef.ConfigKey producer = PRODUCER_PROPERTIES.configKeys().get(name);
    ConfigDef.ConfigKey consumer = CONSUMER_PROPERTIES.configKeys().get(name);
    return (producer == null && consumer == null)
        || (producer != null && producer.type == ConfigDef.Type.PASSWORD)
        || (consumer != null && consumer.type == ConfigDef.Type.PASSWORD);
  }

  /**
   * The properties with the values of {@link #secretProperty secret ones} replaced by {@value
   * Secret#SHOWN}.
   */
  public static Map<String, String> shown(Map<String, String> properties) {
    Map<String, String> shown = new LinkedHashMap<>();
    new TreeMap<>(properties).forEach((k, v) -> shown.put(k, secretProperty(k) ? Secret.SHOWN : v));
    return shown;
  }

  /**
   * Producer and consumer properties may carry credentials: Kafka's password properties are not
   * shown.
   */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", embeddedListenAddress="
        + embeddedListenAddress
        + ", topicPrefix="
        + topicPrefix
        + ", partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", tls="
        + tls
        + ", sasl="
        + sasl
        + ", producer="
        + shown(producer)
        + ", consumer="
        + shown(consumer)
        + "]";
  }

  /** The same settings pointed at a running cluster (the embedded broker once it is up). */
  public KafkaSettings withBootstrapServers(String servers) {
    return new KafkaSettings(
        List.of(servers.split(",")),
        embeddedListenAddress,
        topicPrefix,
        partitions,
        replicationFactor,
        tls,
        sasl,
        producer,
        consumer);
  }
}
