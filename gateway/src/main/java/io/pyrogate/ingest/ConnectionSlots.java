package io.pyrogate.ingest;

import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@code conn_limit} slots of one receiver, shared by its verticle instances, with the deadline
 * that keeps slow clients from holding them: a connection that has no request in progress and has
 * not completed the head of its next one within the head deadline, min(10 s, {@code
 * server_read_timeout}), gives its slot to a new connection when the limit is reached (it is closed
 * without an answer, as Go's server closes a connection whose head timed out). Idle keep-alive
 * connections are kept as long as there is room; a request in progress is bounded by the request
 * deadline instead ({@code server_read_timeout}, answered 408).
 *
 * <p>Vert.x shows no bytes of a request before its head is complete, and, with cleartext HTTP/2 on,
 * no connection before its first head is complete: a connection still sending its first head holds
 * no slot, and one whose head never completes is closed by {@code server_idle_timeout}, since
 * partial heads do not count as activity.
 */
public final class ConnectionSlots {
  static final Duration MAX_HEAD = Duration.ofSeconds(10);

  private final int limit;
  private final long headNanos;
  private final LongSupplier clock;

  /** In insertion order, so that the connection idle the longest is found first among equals. */
  private final Map<HttpConnection, Slot> slots = new LinkedHashMap<>();

  /**
   * Slots for the {@code http} block of a receiver: its {@code conn_limit} and {@code
   * server_read_timeout}.
   */
  public ConnectionSlots(int limit, Duration readTimeout) {
    this(limit, readTimeout, System::nanoTime);
  }

  ConnectionSlots(int limit, Duration readTimeout, LongSupplier clock) {
    this.limit = limit;
    this.headNanos = (readTimeout.compareTo(MAX_HEAD) < 0 ? readTimeout : MAX_HEAD).toNanos();
    this.clock = clock;
  }

  /**
   * Gives the new connection a slot, taking it from a connection past its head deadline when all
   * are held.
   *
   * @return false when every slot is held by a connection within its deadline: the new one must be
   *     closed
   */
  boolean admit(HttpConnection connection) {
    HttpConnection evicted = null;
    synchronized (this) {
      if (slots.size() >= limit) {
        evicted = overdue();
        if (evicted == null) {
          return false;
        }
        slots.remove(evicted);
      }
      slots.put(connection, new Slot(clock.getAsLong()));
    }
    if (evicted != null) {
      evicted.close();
    }
    return true;
  }

  /** Whether the connection holds a slot: false for one refused, evicted or closed. */
  synchronized boolean holds(HttpConnection connection) {
    return slots.containsKey(connection);
  }

  synchronized void release(HttpConnection connection) {
    slots.remove(connection);
  }

  /** A request head arrived on the connection: its slot is in use until the request ends. */
  synchronized void requestStarted(HttpConnection connection) {
    Slot slot = slots.get(connection);
    if (slot != null) {
      slot.inProgress++;
    }
  }

  synchronized void requestEnded(HttpConnection connection) {
    Slot slot = slots.get(connection);
    if (slot != null && --slot.inProgress == 0) {
      slot.idleSince = clock.getAsLong();
    }
  }

  synchronized int held() {
    return slots.size();
  }

  private HttpConnection overdue() {
    long now = clock.getAsLong();
    HttpConnection oldest = null;
    long oldestSince = Long.MAX_VALUE;
    for (Map.Entry<HttpConnection, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      if (slot.inProgress == 0
          && now - slot.idleSince >= headNanos
          && slot.idleSince < oldestSince) {
        oldest = e.getKey();
        oldestSince = slot.idleSince;
      }
    }
    return oldest;
  }

  private static final class Slot {
    int inProgress;
    long idleSince;

    Slot(long now) {
      idleSince = now;
    }
  }
}
