package io.pyrogate.config;

import java.util.List;
import java.util.Map;

/**
 * A {@code pyroscope.receive_kafka "label"} component: consumes profiles that users produce to
 * their own Kafka topics (records per schemas/kafka-record.md) and stores them for its {@code
 * forward_to} writes. Argument names follow Alloy's {@code loki.source.kafka}.
 *
 * @param tls TLS to the brokers, or null
 * @param sasl SASL authentication, or null
 */
public record ReceiveKafkaComponent(
    String label,
    List<String> brokers,
    List<String> topics,
    String groupId,
    TlsConfig tls,
    KafkaSettings.Sasl sasl,
    List<String> forwardTo) {
  public ReceiveKafkaComponent {
    brokers = List.copyOf(brokers);
    topics = List.copyOf(topics);
    forwardTo = List.copyOf(forwardTo);
  }

  public static String defaultGroupId(String label) {
    return "pyrogate.receive_kafka." + label;
  }

  public ReceiveKafkaComponent withForwardTo(List<String> targets) {
    return new ReceiveKafkaComponent(label, brokers, topics, groupId, tls, sasl, targets);
  }

  /** The brokers as Kafka settings, so the same client properties (security included) apply. */
  public KafkaSettings asKafkaSettings() {
    return new KafkaSettings(
        brokers,
        KafkaSettings.DEFAULT_EMBEDDED_LISTEN_ADDRESS,
        KafkaSettings.DEFAULT_TOPIC_PREFIX,
        1,
        (short) -1,
        tls,
        sasl,
        Map.of(),
        Map.of());
  }
}
