package io.pyrogate.pyroscope;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Inflates gzip request bodies with a hard cap on the inflated size, so a small bomb cannot fill
 * the heap.
 */
public final class Gzip {
  /** The inflated body would exceed the limit. */
  public static final class TooLargeException extends IOException {
    TooLargeException(long limit) {
      super("decompressed body larger than the limit of " + limit + " bytes");
    }
  }

  private Gzip() {}

  public static byte[] inflate(byte[] compressed, int limit) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(limit, Math.max(1024, compressed.length * 4)));
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > limit) {
          throw new TooLargeException(limit);
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }
}
