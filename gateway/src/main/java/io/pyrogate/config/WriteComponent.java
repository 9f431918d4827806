package io.pyrogate.config;

import java.util.List;
import java.util.Map;

/**
 * A {@code pyroscope.write "label"} component: a Kafka topic and the endpoints delivered from it.
 */
public record WriteComponent(
    String label, List<Endpoint> endpoints, Map<String, String> externalLabels) {
  public WriteComponent {
    endpoints = List.copyOf(endpoints);
    externalLabels = Map.copyOf(externalLabels);
  }
}
