package io.pyrogate.golang;

import static java.util.Base64.getDecoder;
import static java.util.Base64.getEncoder;
import static java.util.Base64.getUrlDecoder;
import static java.util.Base64.getUrlEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code encoding/base64} {@code StdEncoding} and {@code URLEncoding} (padded) over UTF-8
 * text.
 */
public final class Base64 {
  private Base64() {}

  /** {@code EncodeToString} of the UTF-8 bytes of {@code s}. */
  public static String encode(String s, boolean url) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return (url ? getUrlEncoder() : getEncoder()).encodeToString(bytes);
  }

  /**
   * {@code DecodeString}, which skips line breaks; the bytes are read as UTF-8.
   *
   * @throws IllegalArgumentException when the text is not padded base64 of that alphabet
   */
  public static String decode(String s, boolean url) {
    String compact = s.replace("\r", "").replace("\n", "");
    if (compact.length() % 4 != 0) {
      throw new IllegalArgumentException(
          "the value is not valid base64 (its length, without line breaks, must be"
              + " a multiple of 4)");
    }
    try {
      byte[] bytes = (url ? getUrlDecoder() : getDecoder()).decode(compact);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the value is not valid " + (url ? "URL-safe " : "") + "base64");
    }
  }
}
