package io.pyrogate.delivery;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.pyrogate.config.Secret;

/**
 * The user info of a URL ({@code https://user:password@host}, or {@code https://token@host}) as Go's net/url
 * reads it: name and password percent-decoded ('+' stays '+'), the password empty when there is no ':'.
 */
record UrlUserInfo(String username, Secret password) {

  /** The user info of the URL; empty when it has none. */
  static Optional<UrlUserInfo> of(URI url) {
    String raw = url.getRawUserInfo();
    if (raw == null) {
      return Optional.empty();
    }
    int colon = raw.indexOf(':');
    return Optional.of(colon < 0 ? new UrlUserInfo(decode(raw), new Secret(""))
        : new UrlUserInfo(decode(raw.substring(0, colon)), new Secret(decode(raw.substring(colon + 1)))));
  }

  /** The URL as it goes on the wire: without its user info. */
  static String withoutUserInfo(URI url) {
    String raw = url.getRawUserInfo();
    String text = url.toString();
    return raw == null ? text : text.replace("://" + raw + "@", "://");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
