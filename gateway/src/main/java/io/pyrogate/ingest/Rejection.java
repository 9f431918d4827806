package io.pyrogate.ingest;

import java.util.Locale;

/**
 * A request pyrogate refuses, with the HTTP status, Connect error code and message the client gets,
 * and the reason it is counted under. Thrown by the validation code, which may run off the event
 * loop; answered by the verticle.
 */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request is refused, as the {@code reason} of {@code pyrogate_ingest_refused_total}. */
  enum Reason {
    /** The request cannot be read: encoding, content type, body, name syntax. */
    MALFORMED,
    /** The body or what it inflates to is over the limit. */
    TOO_LARGE,
    /** X-Scope-OrgID is not a tenant ID Pyroscope accepts. */
    TENANT,
    /** A series' labels break Pyroscope's label rules. */
    LABELS,
    /** A profile is neither gzip nor a pprof Profile, or has no sample type. */
    PROFILE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final int status;
  final String code;
  final Reason reason;

  Rejection(int status, String code, Reason reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.reason = reason;
  }

  /** The same answer, its message saying which component refused: {@code component: message}. */
  Rejection after(String component) {
    return new Rejection(status, code, reason, component + ": " + getMessage());
  }

  /** 400 invalid_argument: what Pyroscope answers for a request it will never accept. */
  static Rejection invalidArgument(String message) {
    return invalidArgument(Reason.MALFORMED, message);
  }

  static Rejection invalidArgument(Reason reason, String message) {
    return new Rejection(400, "invalid_argument", reason, message);
  }

  /** 422 unknown: what Pyroscope's /ingest answers when the body cannot be converted. */
  static Rejection unprocessable(String message) {
    return unprocessable(Reason.MALFORMED, message);
  }

  static Rejection unprocessable(Reason reason, String message) {
    return new Rejection(422, "unknown", reason, message);
  }

  /** 401 unauthenticated: what Pyroscope answers for an X-Scope-OrgID its tenant rules refuse. */
  static Rejection unauthenticated(String message) {
    return new Rejection(401, "unauthenticated", Reason.TENANT, message);
  }
}
