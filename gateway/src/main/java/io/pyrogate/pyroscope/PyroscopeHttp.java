package io.pyrogate.pyroscope;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Pyroscope's ingestion API on the wire, for the side that serves it and the side that sends to it:
 * the paths, the Connect protocol header of {@code push.v1}, and the code of a Connect error
 * answer.
 */
public final class PyroscopeHttp {
  /** {@code push.v1.PusherService/Push}, a Connect unary call. */
  public static final String PUSH_PATH = "/push.v1.PusherService/Push";

  /** The legacy ingestion API; its parameters are in the query. */
  public static final String INGEST_PATH = "/ingest";

  /**
   * The header a Connect client sends with the protocol version it speaks, {@value
   * #CONNECT_VERSION}.
   */
  public static final String CONNECT_PROTOCOL_VERSION = "Connect-Protocol-Version";

  public static final String CONNECT_VERSION = "1";

  private PyroscopeHttp() {}

  /**
   * The code of a Connect error answer ({@code {"code": "invalid_argument", "message": ...}}), or
   * null when the answer is not one.
   *
   * @param contentType the answer's Content-Type header, null if none
   */
  public static String connectCode(String contentType, Buffer body) {
    if (contentType == null || !contentType.startsWith("application/json") || body == null) {
      return null;
    }
    try {
      Object code = new JsonObject(body).getValue("code");
      return code instanceof String s ? s : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
