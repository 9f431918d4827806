package io.pyrogate.delivery;

import io.pyrogate.config.TenantSendRate;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * An endpoint's send budget ({@code tenant_send_rate}): how many bytes per second each tenant may
 * be sent, so that the tenant's requests stay within Pyroscope's ingestion rate limit instead of
 * being answered 429. Before each attempt the endpoint {@link #reserve reserves} the request's cost
 * ({@link RequestCost}) and holds it for the wait the budget answers; only that tenant's requests
 * wait.
 *
 * <p>Without cluster mode the budget is this instance's ({@link #local}); in cluster mode every
 * member charges one bucket per endpoint and tenant, so the rate is the cluster's. {@link #NONE}
 * holds nothing: the endpoint has no {@code tenant_send_rate}, as Alloy's.
 */
public interface SendBudget {
  /** No budget: every request may go at once. */
  SendBudget NONE = (tenant, bytes) -> Future.succeededFuture(Duration.ZERO);

  /**
   * Charges {@code bytes} to the tenant's budget, which always grants them: the answer is how long
   * to wait before sending them (zero: at once), the later the deeper the tenant is in debt.
   *
   * @param tenant the tenant the bytes are charged to; requests without one share "" (Pyroscope's
   *     {@code anonymous})
   */
  Future<Duration> reserve(String tenant, long bytes);

  /** This instance's budget at {@code rate}: {@link #NONE} when it has none. */
  static SendBudget local(TenantSendRate rate) {
    return rate.limited() ? new LocalSendBudget(rate.bytesPerSecond(), System::nanoTime) : NONE;
  }
}
