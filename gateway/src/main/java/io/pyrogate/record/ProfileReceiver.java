package io.pyrogate.record;

import io.vertx.core.Future;

/**
 * What a {@code pyroscope.write} component exports as {@code receiver}: accepts a profile and
 * completes once it is durably stored. Ingest answers a client only after every receiver it
 * forwards to completed.
 */
public interface ProfileReceiver {
  /** The write component's label, e.g. "staging". */
  String name();

  /**
   * @param key the Kafka record key (see {@link RecordCodec#key}); records of one key stay in order
   */
  Future<Void> append(ProfileRecord record, String key);
}
