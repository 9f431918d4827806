package io.pyrogate.delivery;

import io.pyrogate.config.Secret;
import io.pyrogate.golang.Url;
import java.net.URI;
import java.util.Optional;

/**
 * The user info of a URL ({@code https://user:password@host}, or {@code https://token@host}) as
 * Go's net/url reads it: name and password percent-decoded ('+' stays '+'), the password empty when
 * there is no ':'.
 */
record UrlUserInfo(String username, Secret password) {

  /** The user info of the URL; empty when it has none. */
  static Optional<UrlUserInfo> of(URI url) {
    String raw = url.getRawUserInfo();
    if (raw == null) {
      return Optional.empty();
    }
    int colon = raw.indexOf(':');
    if (colon < 0) {
      return Optional.of(new UrlUserInfo(Url.pathUnescape(raw), new Secret("")));
    }
    String password = Url.pathUnescape(raw.substring(colon + 1));
    return Optional.of(
        new UrlUserInfo(Url.pathUnescape(raw.substring(0, colon)), new Secret(password)));
  }

  /** The URL as it goes on the wire: without its user info. */
  static String withoutUserInfo(URI url) {
    String raw = url.getRawUserInfo();
    String text = url.toString();
    return raw == null ? text : text.replace("://" + raw + "@", "://");
  }
}
