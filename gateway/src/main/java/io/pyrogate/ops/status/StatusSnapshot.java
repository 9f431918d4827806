package io.pyrogate.ops.status;

import java.util.List;
import java.util.Map;

/**
 * What the status page shows at one moment, free of secrets: URLs without user info or query,
 * broker addresses only, errors scrubbed. Times are epoch milliseconds and null when there is none;
 * a value pyrogate cannot know yet (a rate before two samples, a metric another build does not
 * export) is null.
 *
 * @param wiring one line per component and endpoint: when it changes, the page's structure changed
 *     (a reload) and the page is loaded again rather than patched
 */
public record StatusSnapshot(
    String version,
    long generatedAt,
    long startedAt,
    long uptimeSeconds,
    String notReady,
    String wiring,
    Config config,
    Kafka kafka,
    Ingest ingest,
    List<Receiver> receivers,
    List<Write> writes) {

  /**
   * The configuration file and its last reload.
   *
   * @param file the file pyrogate runs, null when it was not started from one
   * @param lastReload null before the first reload
   */
  public record Config(String file, long loadedAt, String summary, Reload lastReload) {}

  /**
   * One reload: when, whether it applied, and what it changed or why it failed (its first line).
   */
  public record Reload(long at, boolean succeeded, String result) {}

  /**
   * @param brokers the bootstrap servers, host:port only
   * @param problem why Kafka is not reachable, null while it is
   */
  public record Kafka(boolean embedded, boolean reachable, String problem, List<String> brokers) {}

  /** The bytes of accepted requests waiting for Kafka, over all receivers, and their cap. */
  public record Ingest(Double inflightBytes, long inflightCapBytes) {}

  /**
   * A receiving component.
   *
   * @param kind {@code pyroscope.receive_http} or {@code pyroscope.receive_kafka}
   * @param listen host:port for HTTP, the topics for Kafka
   * @param requestsPerSecond by outcome (HTTP status, or stored/dead_letter for Kafka sources)
   * @param requests totals by outcome since start
   * @param rejections requests refused for what they hold, by reason, since start
   */
  public record Receiver(
      String component,
      String kind,
      String listen,
      List<String> forwardTo,
      Map<String, Double> requestsPerSecond,
      Map<String, Double> requests,
      Map<String, Double> rejections) {}

  /**
   * A {@code pyroscope.write} component: its topic and endpoints.
   *
   * @param retentionSeconds the topic's retention, -1 when forever, null when unknown
   */
  public record Write(
      String component, String topic, Double retentionSeconds, List<Endpoint> endpoints) {}

  /**
   * One endpoint.
   *
   * @param url scheme, host, port and path only
   * @param state delivering, backing_off, outage, paused, or held (cluster mode: a member's
   *     announcement holds its requests until {@code nextAttempt}); unknown before it is deployed
   * @param lagBytesEstimate the lag in records times the mean size of the profiles the write's
   *     endpoints sent so far
   * @param lastErrorStatus HTTP status of the last failure, 0 when there was no answer
   * @param deadLettered records moved to the dead-letter topic since start
   * @param deadLetterReasons the most frequent reasons, since the endpoint was deployed
   * @param partitions the partitions of the topic this instance delivers (its share of the group)
   * @param tenantSendRateBytesPerSecond the endpoint's {@code tenant_send_rate}, null when unset
   * @param sendBudgetHeldSecondsPerSecond the seconds requests were held by that budget per second,
   *     over all tenants; null when the endpoint has no budget
   */
  public record Endpoint(
      String name,
      String url,
      String state,
      Long stateSince,
      Double profilesPerSecond,
      Double bytesPerSecond,
      Double retriesPerSecond,
      Double lagRecords,
      Double lagBytesEstimate,
      Double oldestUndeliveredSeconds,
      Long lastSuccess,
      Long lastErrorAt,
      Integer lastErrorStatus,
      String lastError,
      Long nextAttempt,
      Double deadLettered,
      List<ReasonCount> deadLetterReasons,
      List<Integer> partitions,
      Long tenantSendRateBytesPerSecond,
      Double sendBudgetHeldSecondsPerSecond) {}

  /** A dead-letter reason and how many records it sent there. */
  public record ReasonCount(String reason, long count) {}
}
