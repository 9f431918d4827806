package io.pyrogate.record;

import io.vertx.core.Future;

/**
 * What a {@code pyroscope.write} or {@code pyroscope.relabel} component exports as {@code
 * receiver}: accepts a profile and completes once it is durably stored (or dropped by relabel
 * rules). Ingest answers a client only after every receiver it forwards to completed.
 */
public interface ProfileReceiver {
  /** Names the component: a write's label, e.g. "staging", or a relabel's component id. */
  String name();

  /**
   * @param key the Kafka record key (see {@link RecordCodec#key}); records of one key stay in order
   */
  Future<Void> append(ProfileRecord record, String key);
}
