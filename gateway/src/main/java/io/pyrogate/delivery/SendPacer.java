package io.pyrogate.delivery;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Holds each attempt of an endpoint's requests until its tenant's {@link SendBudget} lets it go:
 * the request's {@link Send#cost} is reserved, and the request is handed on after the wait the
 * budget answers, on a timer. Only that tenant's requests wait: the others' and the endpoint's
 * requests already handed on go on. The requests held here are records of the endpoint's window
 * (those a revocation takes away are dropped), so what waits is bounded by the window. Without a
 * budget ({@link SendBudget#NONE}) requests are handed on at once. Used from the endpoint's event
 * loop only.
 */
final class SendPacer {
  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final SendBudget budget;
  private final boolean tenantConfigured;
  private final Counter waitSeconds;
  private final Counter chargedBytes;
  private final Consumer<Send> out;

  /** The requests held, with the timer that hands each on ({@link #NO_TIMER} until answered). */
  private final Map<Send, Long> held = new IdentityHashMap<>();

  /**
   * @param tenantConfigured whether the endpoint's headers set X-Scope-OrgID: then every request
   *     goes to that one tenant
   * @param waitSeconds counts the seconds requests are held
   * @param chargedBytes counts the bytes charged to the budget
   * @param out where requests go once they may
   */
  SendPacer(
      Vertx vertx,
      SendBudget budget,
      boolean tenantConfigured,
      Counter waitSeconds,
      Counter chargedBytes,
      Consumer<Send> out) {
    this.vertx = vertx;
    this.budget = budget;
    this.tenantConfigured = tenantConfigured;
    this.waitSeconds = waitSeconds;
    this.chargedBytes = chargedBytes;
    this.out = out;
  }

  /** Charges an attempt of {@code s} to its tenant and hands it on when the budget lets it go. */
  void offer(Send s) {
    if (budget == SendBudget.NONE) {
      out.accept(s);
      return;
    }
    chargedBytes.increment(s.cost);
    held.put(s, NO_TIMER);
    budget
        .reserve(tenant(s), s.cost)
        .onComplete(
            ar -> {
              if (!held.containsKey(s)) {
                return; // taken away by clear(): the endpoint stops
              }
              // A budget answers every reservation (a shared one falls back on this instance's);
              // should it fail, the request goes rather than waiting for ever.
              Duration wait = ar.succeeded() ? ar.result() : Duration.ZERO;
              if (wait.isZero()) {
                release(s);
                return;
              }
              waitSeconds.increment(wait.toNanos() / 1e9);
              long millis = (wait.toNanos() + 999_999) / 1_000_000;
              held.put(s, vertx.setTimer(millis, t -> release(s)));
            });
  }

  /** Takes away every request held and cancels their timers (the endpoint stops). */
  List<Send> clear() {
    List<Send> taken = new ArrayList<>(held.keySet());
    held.values().forEach(vertx::cancelTimer);
    held.clear();
    return taken;
  }

  /**
   * Forgets the requests held whose records were all taken away by a revocation (and the taken
   * records of the others), so what is held stays within the window.
   */
  void dropReleased() {
    held.entrySet()
        .removeIf(
            e -> {
              if (e.getKey().dropReleased()) {
                return false;
              }
              vertx.cancelTimer(e.getValue());
              return true;
            });
  }

  private void release(Send s) {
    held.remove(s);
    out.accept(s);
  }

  /** The bucket a request is charged to: one per tenant, "" for requests without one. */
  private String tenant(Send s) {
    return tenantConfigured || s.tenant == null ? "" : s.tenant;
  }
}
