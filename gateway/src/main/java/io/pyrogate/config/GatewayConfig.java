package io.pyrogate.config;

import java.util.List;
import java.util.Optional;

/** The whole decoded configuration: what the gateway runs. Immutable; built only by {@link ConfigLoader}. */
public record GatewayConfig(KafkaSettings kafka, List<ReceiveHttpComponent> receivers, List<WriteComponent> writes) {
  public GatewayConfig {
    receivers = List.copyOf(receivers);
    writes = List.copyOf(writes);
  }

  public Optional<WriteComponent> write(String label) {
    return writes.stream().filter(w -> w.label().equals(label)).findFirst();
  }

  /** One line for logs and {@code validate}: what runs, never a value. */
  public String summary() {
    int endpoints = writes.stream().mapToInt(w -> w.endpoints().size()).sum();
    return String.format("%d pyroscope.write (%d endpoint%s), %d pyroscope.receive_http, kafka %s",
        writes.size(), endpoints, endpoints == 1 ? "" : "s", receivers.size(),
        kafka.embedded() ? "embedded" : String.join(",", kafka.bootstrapServers()));
  }
}
