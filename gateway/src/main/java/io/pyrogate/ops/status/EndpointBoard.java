package io.pyrogate.ops.status;

import io.pyrogate.delivery.EndpointStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running endpoints, by write component and endpoint name, as the status page reads them. A
 * redeployed endpoint (a reload changed it) replaces its previous entry; the page shows only the
 * endpoints of the configuration in force, so an entry of a removed endpoint is never shown.
 */
public final class EndpointBoard {
  private record Key(String write, String endpoint) {}

  private final Map<Key, EndpointStatus> endpoints = new ConcurrentHashMap<>();

  /**
   * The endpoint {@code endpoint} of {@code pyroscope.write "write"} reports through {@code
   * status}.
   */
  public void put(String write, String endpoint, EndpointStatus status) {
    endpoints.put(new Key(write, endpoint), status);
  }

  Optional<EndpointStatus> get(String write, String endpoint) {
    return Optional.ofNullable(endpoints.get(new Key(write, endpoint)));
  }
}
