package io.pyrogate.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the bytes of request bodies between "received" and "acknowledged by Kafka", across all ingest
 * verticle instances. A request that does not fit is refused with 429 instead of queued.
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
}
