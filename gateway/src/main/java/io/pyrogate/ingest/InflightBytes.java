package io.pyrogate.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the bytes of request bodies between "received" and "acknowledged by Kafka", across all
 * ingest verticle instances. A request that does not fit is refused with 429 instead of queued.
 */
public final class InflightBytes {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  public InflightBytes(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes}; false when that would exceed the cap. */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long current = used.get();
      if (current + bytes > capacity && current > 0) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }

  /** A new, empty reservation for one request. */
  public Reservation reservation() {
    return new Reservation();
  }

  /**
   * The bytes one request holds: it grows as the request's body arrives and as it is decoded, and
   * is released once, when the request is answered or abandoned.
   */
  public final class Reservation {
    private long held;

    private Reservation() {}

    /** Reserves {@code bytes} more; false (and nothing reserved) when the cap does not allow it. */
    public synchronized boolean grow(long bytes) {
      if (bytes <= 0) {
        return true;
      }
      if (!tryAcquire(bytes)) {
        return false;
      }
      held += bytes;
      return true;
    }

    /** Makes sure at least {@code total} bytes are held. */
    public synchronized boolean growTo(long total) {
      return total <= held || grow(total - held);
    }

    public synchronized long held() {
      return held;
    }

    /** Gives everything back; idempotent. */
    public synchronized void release() {
      if (held > 0) {
        InflightBytes.this.release(held);
        held = 0;
      }
    }
  }
}
