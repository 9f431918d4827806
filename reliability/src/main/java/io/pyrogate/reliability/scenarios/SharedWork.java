package io.pyrogate.reliability.scenarios;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.RecordingEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the scenarios with several pyrogate instances on one broker have in common: their
 * configuration, a load whose profiles spread over the topic's partitions, and what they read from
 * the instances (how the endpoint's partitions are split, what each delivered).
 */
final class SharedWork {
  /** Partitions of the write topic: pyrogate's default. */
  static final int PARTITIONS = KafkaSettings.DEFAULT_PARTITIONS;

  /**
   * Services the load's profiles belong to: records are keyed by tenant and service, so these many
   * spread them over every partition.
   */
  static final int SERVICES = 32;

  /** How long a request that finds an instance down goes on to the next one. */
  static final Duration RETRY_FOR = Duration.ofSeconds(60);

  private SharedWork() {}

  /** Instances on {@code bootstrap} delivering to {@code endpoint}, by ingest port. */
  static IntFunction<AlloyConfig> config(String bootstrap, RecordingEndpoint endpoint) {
    return port -> AlloyConfig.external(port, bootstrap).endpoint(endpoint);
  }

  /** {@code count} pushes with ids {@code prefix-N}, spread over {@link #SERVICES} services. */
  static List<HttpLoad.Request> pushes(String prefix, int count) {
    return HttpLoad.pushes("rel-shared", prefix, count, SERVICES);
  }

  /**
   * Waits up to {@code max} until the endpoint's {@link #PARTITIONS} partitions are split over
   * {@code instances}, each holding some; the partitions each holds then (or when the time ran
   * out).
   */
  static List<Integer> awaitSplit(List<GatewayProcess> instances, Duration max) {
    Harness.until(
        max,
        () -> {
          List<Integer> split = split(instances);
          return split.stream().mapToInt(Integer::intValue).sum() == PARTITIONS
              && split.stream().allMatch(n -> n > 0);
        });
    return split(instances);
  }

  /** The partitions each of {@code instances} holds now (-1 for one that did not answer). */
  static List<Integer> split(List<GatewayProcess> instances) {
    return instances.stream().map(GatewayProcess::assignedPartitions).toList();
  }

  /** The profiles each of {@code instances} delivered so far (-1 for one that did not answer). */
  static List<Long> sent(List<GatewayProcess> instances) {
    return instances.stream().map(GatewayProcess::sentProfiles).toList();
  }
}
