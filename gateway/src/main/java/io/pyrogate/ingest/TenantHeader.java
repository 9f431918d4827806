package io.pyrogate.ingest;

import io.pyrogate.pyroscope.TenantIds;
import io.vertx.core.http.HttpServerRequest;

/**
 * The tenant of a request, from {@code X-Scope-OrgID} (absent or blank: single-tenant), refused
 * with Pyroscope's answer when a multi-tenant Pyroscope would refuse it ({@link TenantIds}): 401
 * unauthenticated, as its auth interceptor answers a push; over {@code /ingest}, 401 for the text
 * formats and 422 for the others, as its ingest handler answers the same error.
 */
final class TenantHeader {
  private TenantHeader() {}

  /**
   * @throws Rejection when Pyroscope refuses the tenant of a push
   */
  static String push(HttpServerRequest request) {
    String tenant = read(request);
    String problem = tenant == null ? null : TenantIds.problem(tenant);
    if (problem != null) {
      throw Rejection.unauthenticated(problem);
    }
    return tenant;
  }

  /**
   * @throws Rejection when Pyroscope refuses the tenant of an /ingest request with a body of this
   *     format
   */
  static String ingest(HttpServerRequest request, IngestDecoder.Format format) {
    String tenant = read(request);
    String problem = tenant == null ? null : TenantIds.problem(tenant);
    if (problem != null) {
      throw format.textual()
          ? Rejection.unauthenticated(problem)
          : Rejection.unprocessable(Rejection.Reason.TENANT, problem);
    }
    return tenant;
  }

  private static String read(HttpServerRequest request) {
    String tenant = request.getHeader("X-Scope-OrgID");
    return tenant == null || tenant.isBlank() ? null : tenant.trim();
  }
}
