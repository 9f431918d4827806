package io.pyrogate.delivery;

import java.util.List;

/**
 * What a running endpoint tells the status page about itself, readable from any thread: its health,
 * whether its consumer is paused because its window is full, why records were dead-lettered, and
 * which partitions it holds.
 */
public interface EndpointStatus {
  EndpointHealth.Snapshot health();

  /**
   * Whether the consumer is paused because the window of records in flight is full: the endpoint
   * takes profiles more slowly than they come, and lag grows in Kafka.
   */
  boolean paused();

  /** The most frequent reasons records were dead-lettered since the endpoint was deployed. */
  List<DeadLetterTally.Reason> deadLetterReasons(int n);

  /** The partitions of its topic this instance delivers now (its share of the consumer group). */
  List<Integer> partitions();

  /**
   * In cluster mode, until when (epoch milliseconds) a member's announcement holds every request to
   * the endpoint ({@link SharedBackOff}); 0 when it is not held.
   */
  long heldUntilMillis();
}
