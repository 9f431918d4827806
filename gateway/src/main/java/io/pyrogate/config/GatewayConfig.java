package io.pyrogate.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole decoded configuration: what the gateway runs. Immutable; built only by {@link
 * ConfigLoader}.
 */
public record GatewayConfig(
    KafkaSettings kafka,
    List<ReceiveHttpComponent> receivers,
    List<ReceiveKafkaComponent> kafkaSources,
    List<WriteComponent> writes,
    LoggingSettings logging,
    List<RelabelComponent> relabels) {
  public GatewayConfig {
    receivers = List.copyOf(receivers);
    kafkaSources = List.copyOf(kafkaSources);
    writes = List.copyOf(writes);
    relabels = List.copyOf(relabels);
  }

  /** Without relabel components. */
  public GatewayConfig(
      KafkaSettings kafka,
      List<ReceiveHttpComponent> receivers,
      List<ReceiveKafkaComponent> kafkaSources,
      List<WriteComponent> writes,
      LoggingSettings logging) {
    this(kafka, receivers, kafkaSources, writes, logging, List.of());
  }

  /** With Alloy's default logging. */
  public GatewayConfig(
      KafkaSettings kafka,
      List<ReceiveHttpComponent> receivers,
      List<ReceiveKafkaComponent> kafkaSources,
      List<WriteComponent> writes) {
    this(kafka, receivers, kafkaSources, writes, LoggingSettings.defaults());
  }

  /** The same configuration logging with {@code settings}. */
  public GatewayConfig withLogging(LoggingSettings settings) {
    return new GatewayConfig(kafka, receivers, kafkaSources, writes, settings, relabels);
  }

  /** Without Kafka sources. */
  public GatewayConfig(
      KafkaSettings kafka, List<ReceiveHttpComponent> receivers, List<WriteComponent> writes) {
    this(kafka, receivers, List.of(), writes);
  }

  public Optional<WriteComponent> write(String label) {
    return writes.stream().filter(w -> w.label().equals(label)).findFirst();
  }

  /** One line for logs and {@code validate}: what runs, never a value. */
  public String summary() {
    int endpoints = writes.stream().mapToInt(w -> w.endpoints().size()).sum();
    return writes.size()
        + " pyroscope.write ("
        + endpoints
        + " endpoint"
        + (endpoints == 1 ? "" : "s")
        + "), "
        + receivers.size()
        + " pyroscope.receive_http, "
        + (kafkaSources.isEmpty() ? "" : kafkaSources.size() + " pyroscope.receive_kafka, ")
        + (relabels.isEmpty() ? "" : relabels.size() + " pyroscope.relabel, ")
        + "kafka "
        + (kafka.embedded() ? "embedded" : String.join(",", kafka.bootstrapServers()));
  }
}
