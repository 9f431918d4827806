package io.pyrogate.pyroscope;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;

/**
 * Several serialized {@code push.v1.PushRequest}s sent as one. PushRequest has a single repeated
 * field, so requests one after the other are, on the wire, the request holding all their series.
 */
public final class PushBatch {
  private PushBatch() {}

  /**
   * The body of the request holding all of {@code requests}; the arrays are wrapped, not copied.
   */
  public static Buffer body(List<byte[]> requests) {
    if (requests.size() == 1) {
      return BufferInternal.buffer(Unpooled.wrappedBuffer(requests.get(0)));
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(requests.toArray(new byte[0][])));
  }
}
