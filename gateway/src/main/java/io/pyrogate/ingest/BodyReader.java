package io.pyrogate.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * Reads a request body into one array, never more than the body limit, and counts its bytes against
 * the in-flight cap as they arrive, so that bodies being received are bounded over all connections
 * just like bodies waiting for Kafka. A body declared (Content-Length) or found to be over the
 * limit, or that does not fit under the cap, fails at once; what the client still sends is read and
 * dropped.
 */
final class BodyReader {
  /** The body is larger than the limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;
    final long declared;

    TooLargeException(long declared) {
      super("request body too large", null, false, false);
      this.declared = declared;
    }
  }

  /** The in-flight cap has no room for the body. */
  static final class BusyException extends Exception {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super("in-flight limit reached", null, false, false);
    }
  }

  /** The request ended (timeout answered, connection closed) before its body was complete. */
  static final class AbandonedException extends Exception {
    private static final long serialVersionUID = 1L;

    AbandonedException(String message) {
      super(message, null, false, false);
    }
  }

  private BodyReader() {}

  /**
   * Reads the body of the context's request. Must be called from the route handler, before it
   * returns, so that no chunk is missed.
   */
  static Future<byte[]> read(RoutingContext ctx, int limit, InflightBytes.Reservation reservation) {
    HttpServerRequest request = ctx.request();
    long declared = contentLength(request);
    if (declared > limit) {
      drain(request);
      return Future.failedFuture(new TooLargeException(declared));
    }
    if (declared > 0 && !reservation.grow(declared)) {
      drain(request);
      return Future.failedFuture(new BusyException());
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      ctx.response()
          .writeContinue(); // curl asks before sending bodies over 1 MB; refusals above answered at
      // once
    }
    Reader reader = new Reader(limit, declared, reservation);
    request.handler(reader::chunk);
    request.endHandler(v -> reader.end());
    request.exceptionHandler(
        e -> reader.fail(new AbandonedException("reading the request body failed: " + e)));
    ctx.addEndHandler(
        ar -> reader.fail(new AbandonedException("request ended before its body was read")));
    request.resume();
    return reader.promise.future();
  }

  /** Reads and drops whatever the client still sends, so the connection stays usable. */
  static void drain(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.handler(b -> {});
      request.endHandler(v -> {});
      request.exceptionHandler(e -> {});
      request.resume();
    }
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final class Reader {
    final Promise<byte[]> promise = Promise.promise();
    final int limit;
    final InflightBytes.Reservation reservation;
    byte[] bytes;
    int size;
    boolean done;

    Reader(int limit, long declared, InflightBytes.Reservation reservation) {
      this.limit = limit;
      this.reservation = reservation;
      this.bytes = new byte[declared >= 0 ? (int) declared : Math.min(limit, 64 * 1024)];
    }

    void chunk(Buffer chunk) {
      if (done) {
        return;
      }
      int n = chunk.length();
      if ((long) size + n > limit) {
        fail(new TooLargeException(-1));
        return;
      }
      if (!reservation.growTo((long) size + n)) {
        fail(new BusyException());
        return;
      }
      if (size + n > bytes.length) {
        bytes =
            Arrays.copyOf(
                bytes, (int) Math.min(limit, Math.max((long) size + n, 2L * bytes.length)));
      }
      chunk.getBytes(0, n, bytes, size);
      size += n;
    }

    void end() {
      if (!done) {
        done = true;
        promise.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
      }
    }

    void fail(Throwable cause) {
      if (!done) {
        done = true;
        bytes = null;
        promise.fail(cause);
      }
    }
  }
}
