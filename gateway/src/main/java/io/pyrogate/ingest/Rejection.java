package io.pyrogate.ingest;

/**
 * A request pyrogate refuses, with the HTTP status, Connect error code and message the client gets. Thrown by
 * the validation code, which may run off the event loop; answered by the verticle.
 */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  Rejection(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** 400 invalid_argument: what Pyroscope answers for a request it will never accept. */
  static Rejection invalidArgument(String message) {
    return new Rejection(400, "invalid_argument", message);
  }

  /** 422 unknown: what Pyroscope's /ingest answers when the body cannot be converted. */
  static Rejection unprocessable(String message) {
    return new Rejection(422, "unknown", message);
  }
}
