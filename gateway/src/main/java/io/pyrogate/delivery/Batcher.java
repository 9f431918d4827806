package io.pyrogate.delivery;

import io.pyrogate.kafka.ConsumerWindow;
import io.pyrogate.record.ProfileRecord;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Groups an endpoint's records into requests. Plain push records of one tenant go into one
 * PushRequest, up to a size in bytes and a cost as Pyroscope counts it, waiting a short linger for
 * more; every other record (an /ingest body, a push record stored encoded) is a request of its own.
 * A request is handed on when it is full, when its linger ends, or at once when it cannot be
 * batched. Used from the endpoint's event loop only.
 */
final class Batcher {
  /**
   * Largest batch of push records, in bytes of the serialized PushRequest (a record bigger than
   * this goes alone). 1 MiB holds dozens of typical SDK profiles (tens of KiB each), enough to save
   * most of the per-request cost, while a batch that fails costs little to retry and 16 batches
   * still fit in the endpoint's window. Measured by BatchingBenchmark (bench/): about 15 % less CPU
   * per profile than one per request; 4 MiB saves no more.
   */
  static final int BATCH_BYTES = 1024 * 1024;

  /**
   * Largest batch of push records by what Pyroscope charges for it ({@link RequestCost}: labels and
   * profiles decompressed, several times the bytes): Pyroscope's default {@code
   * ingestion_burst_size_mb}, since its rate limiter never admits a request that costs more than
   * its burst, whatever the rate (a record that costs more goes alone).
   */
  static final long BATCH_COST = 2L * 1024 * 1024;

  /**
   * Longest wait for more records to fill a batch that is not full. Profiles are uploaded every 10
   * s or more, so 20 ms of extra latency is invisible, and it is long enough to gather what one
   * Kafka poll hands over.
   */
  static final long BATCH_LINGER_MS = 20;

  /** A batch waiting for more records, and the timer of its linger. */
  private record Open(Send batch, long lingerTimer) {}

  private final Vertx vertx;
  private final long maxBytes;
  private final long maxCost;
  private final long lingerMillis;
  private final Consumer<Send> out;

  /** The open batch of each tenant ("" when single-tenant). */
  private final Map<String, Open> open = new HashMap<>();

  /**
   * @param maxBytes the largest batch in payload bytes
   * @param maxCost the largest batch in what Pyroscope charges for it
   * @param lingerMillis how long a batch that is not full waits for more
   * @param out where requests go, in the order they are complete
   */
  Batcher(Vertx vertx, long maxBytes, long maxCost, long lingerMillis, Consumer<Send> out) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.maxCost = maxCost;
    this.lingerMillis = lingerMillis;
    this.out = out;
  }

  /**
   * Takes a prepared record: into its tenant's batch if it is a plain push record, else out on its
   * own at once.
   */
  void add(ConsumerWindow.Held d, ProfileRecord profile) {
    if (profile.kind() != ProfileRecord.Kind.PUSH || profile.contentEncoding() != null) {
      out.accept(Send.of(d, profile));
      return;
    }
    String key = key(profile.tenant());
    Open current = open.get(key);
    long cost = RequestCost.of(profile);
    if (current != null
        && (current.batch().bytes + profile.payload().length > maxBytes
            || current.batch().cost + cost > maxCost)) {
      close(key, current);
      current = null;
    }
    if (current == null) {
      Send batch = new Send(profile.tenant());
      long timer =
          vertx.setTimer(
              lingerMillis,
              t -> {
                Open lingering = open.get(key);
                if (lingering != null && lingering.batch() == batch) {
                  open.remove(key);
                  out.accept(batch);
                }
              });
      current = new Open(batch, timer);
      open.put(key, current);
    }
    current.batch().add(d, profile);
    if (current.batch().bytes >= maxBytes || current.batch().cost >= maxCost) {
      close(key, current);
    }
  }

  /** Closes every open batch without handing it on (the endpoint stops) and returns them. */
  List<Send> discardOpen() {
    List<Send> discarded = new ArrayList<>(open.size());
    open.values()
        .forEach(
            o -> {
              vertx.cancelTimer(o.lingerTimer());
              discarded.add(o.batch());
            });
    open.clear();
    return discarded;
  }

  private void close(String key, Open o) {
    open.remove(key);
    vertx.cancelTimer(o.lingerTimer());
    out.accept(o.batch());
  }

  private static String key(String tenant) {
    return tenant == null ? "" : tenant;
  }
}
