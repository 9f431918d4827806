package io.pyrogate.delivery;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Which of an endpoint's requests goes when. Requests go in order, at most {@code maxInFlight} at
 * once, so none waits in the HTTP client's pool, where its timeout would run before it is sent. In
 * an outage ({@link EndpointHealth}) one request at a time goes as the probe, once the health's
 * next attempt is due; the others wait here. While the endpoint is {@link #holdFor held} (another
 * instance of a cluster was asked to wait, {@link SharedBackOff}) nothing goes. Used from the
 * endpoint's event loop only.
 */
final class SendQueue {
  private final Vertx vertx;
  private final EndpointHealth health;
  private final LongSupplier clockMillis;
  private final int maxInFlight;
  private final Consumer<Send> transmit;

  /**
   * Requests ready to go, in order, waiting for a free slot, or in an outage for their turn as the
   * probe.
   */
  private final Deque<Send> ready = new ArrayDeque<>();

  private int inFlight;

  /** In an outage, the request on its way as the probe, else null. */
  private Send probe;

  /** In an outage, the timer of the next probe, else -1. */
  private long probeTimer = -1;

  /** In an outage, whether the next probe's time has come. */
  private boolean probeDue;

  /** Until when nothing may go (monotonic), 0 when not held. */
  private long heldUntil;

  /** The timer that ends the hold, else -1. */
  private long holdTimer = -1;

  /**
   * @param transmit makes the attempt of a request; {@link #completed} must follow when it has an
   *     outcome
   */
  SendQueue(
      Vertx vertx,
      EndpointHealth health,
      LongSupplier clockMillis,
      int maxInFlight,
      Consumer<Send> transmit) {
    this.vertx = vertx;
    this.health = health;
    this.clockMillis = clockMillis;
    this.maxInFlight = maxInFlight;
    this.transmit = transmit;
  }

  /** Queues a request and sends what may go now. */
  void offer(Send s) {
    ready.addLast(s);
    pump();
  }

  /**
   * Queues a request at the back without sending: in an outage a failed request waits for its turn
   * as the probe, so a request the endpoint refuses on its own does not keep the others from
   * showing it is back.
   */
  void waitForProbe(Send s) {
    ready.addLast(s);
  }

  /**
   * The attempt of {@code s} has its outcome: its slot is free (call {@link #pump()} once the
   * outcome is handled).
   */
  void completed(Send s) {
    inFlight--;
    if (probe == s) {
      probe = null;
    }
  }

  /**
   * Sends nothing for {@code millis} from now (or longer, when held longer already); zero ends the
   * hold, and in an outage the next probe goes at once: the endpoint answered another instance.
   */
  void holdFor(long millis) {
    long now = clockMillis.getAsLong();
    if (millis <= 0) {
      heldUntil = 0;
      vertx.cancelTimer(holdTimer);
      holdTimer = -1;
      if (health.inOutage() && probe == null) {
        vertx.cancelTimer(probeTimer);
        probeTimer = -1;
        probeDue = true;
      }
      pump();
      return;
    }
    if (now + millis > heldUntil) {
      heldUntil = now + millis;
      vertx.cancelTimer(holdTimer);
      holdTimer =
          vertx.setTimer(
              millis,
              t -> {
                holdTimer = -1;
                pump();
              });
    }
  }

  /** Until when the endpoint is held (monotonic), 0 when it is not. */
  long heldUntil() {
    return heldUntil > clockMillis.getAsLong() ? heldUntil : 0;
  }

  /** Sends what may go now. */
  void pump() {
    if (heldUntil() > 0) {
      return; // the hold's timer pumps again
    }
    if (!health.inOutage() && (probeTimer >= 0 || probeDue)) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
      probeDue = false;
    }
    while (inFlight < maxInFlight && !ready.isEmpty()) {
      if (health.inOutage()) {
        probeWhenDue();
        return;
      }
      Send next = nextReady();
      if (next != null) {
        send(next);
      }
    }
  }

  /** Takes away every waiting request and stops probing (the endpoint stops). */
  List<Send> clear() {
    vertx.cancelTimer(probeTimer);
    probeTimer = -1;
    vertx.cancelTimer(holdTimer);
    holdTimer = -1;
    List<Send> waiting = new ArrayList<>(ready);
    ready.clear();
    return waiting;
  }

  /**
   * Forgets the waiting requests whose records were all taken away by a revocation, and the taken
   * records of others.
   */
  void dropReleased() {
    ready.removeIf(s -> !s.dropReleased());
  }

  /** Requests waiting now. */
  int waiting() {
    return ready.size();
  }

  /** Requests in flight now. */
  int inFlight() {
    return inFlight;
  }

  private void send(Send s) {
    inFlight++;
    transmit.accept(s);
  }

  /**
   * The first waiting request that still has records to send (a revocation may have taken them), or
   * null.
   */
  private Send nextReady() {
    Send s;
    while ((s = ready.pollFirst()) != null && !s.dropReleased()) {
      // all its records went to their partitions' new owner
    }
    return s;
  }

  /** In an outage, sends the request that waited longest as the probe once its time has come. */
  private void probeWhenDue() {
    if (probe != null) {
      return;
    }
    if (!probeDue) {
      if (probeTimer < 0) {
        long wait = Math.max(1, health.nextAttemptMillis() - clockMillis.getAsLong());
        probeTimer =
            vertx.setTimer(
                wait,
                t -> {
                  probeTimer = -1;
                  probeDue = true;
                  pump();
                });
      }
      return;
    }
    probeDue = false;
    probe = nextReady();
    if (probe != null) {
      send(probe);
    }
  }
}
