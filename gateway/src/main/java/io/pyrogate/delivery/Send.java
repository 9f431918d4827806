package io.pyrogate.delivery;

import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.pyroscope.PushBatch;
import io.pyrogate.record.ProfileRecord;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One request to an endpoint and its attempts: a single record, or a batch of push records of one
 * tenant sent as one PushRequest ({@link Batcher}). Its records are delivered, retried or
 * dead-lettered together.
 */
final class Send {
  /** The tenant of every record, null when single-tenant. */
  final String tenant;

  final List<ConsumerWindow.Held> deliveries = new ArrayList<>(1);

  /**
   * The prepared profile of each record, in order (what a refused batch resends one by one); null
   * if malformed.
   */
  final List<ProfileRecord> parts = new ArrayList<>(1);

  long bytes;

  /** What the request costs of its tenant's ingestion rate at Pyroscope ({@link RequestCost}). */
  long cost;

  int attempts;
  long firstAttemptMillis;
  long lastAttemptMillis;

  /**
   * Failures that spent the retry budget: the request's own ({@link EndpointHealth#ownFailure}).
   */
  int spent;

  /** When the last attempt was sent, on the monotonic clock. */
  long sentAt;

  /**
   * The send time of a failed attempt not known yet as the request's own failure (the endpoint had
   * not yet answered a request sent after it), asked about again at the next failure; {@link
   * Long#MIN_VALUE} when none.
   */
  long unchargedSentAt = Long.MIN_VALUE;

  Send(String tenant) {
    this.tenant = tenant;
  }

  /** A request of one record; {@code profile} is null for a record that cannot be read. */
  static Send of(ConsumerWindow.Held d, ProfileRecord profile) {
    Send s = new Send(profile == null ? null : profile.tenant());
    s.add(d, profile);
    return s;
  }

  void add(ConsumerWindow.Held d, ProfileRecord part) {
    deliveries.add(d);
    parts.add(part);
    bytes += part == null ? 0 : part.payload().length;
    cost += part == null ? 0 : RequestCost.of(part);
  }

  /**
   * Forgets the records taken away (their partition was revoked); false when none is left to send.
   */
  boolean dropReleased() {
    for (int i = deliveries.size() - 1; i >= 0; i--) {
      if (deliveries.get(i).released()) {
        deliveries.remove(i);
        ProfileRecord part = parts.remove(i);
        bytes -= part == null ? 0 : part.payload().length;
        cost -= part == null ? 0 : RequestCost.of(part);
      }
    }
    return !deliveries.isEmpty();
  }

  /** Each record as a request of its own, e.g. for a batch refused as a whole. */
  List<Send> singles() {
    List<Send> singles = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      singles.add(of(deliveries.get(i), parts.get(i)));
    }
    return singles;
  }

  /**
   * What decides the request: kind, tenant, content type and encoding, query. The same for every
   * part.
   */
  ProfileRecord head() {
    return parts.get(0);
  }

  /**
   * The request body: the one record's payload, or the batch's push requests as one (wrapped, not
   * copied).
   */
  Buffer body() {
    List<byte[]> payloads = new ArrayList<>(parts.size());
    for (ProfileRecord part : parts) {
      payloads.add(part.payload());
    }
    return PushBatch.body(payloads);
  }
}
