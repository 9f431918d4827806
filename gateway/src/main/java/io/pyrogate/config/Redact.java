package io.pyrogate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Removes credentials from values that are shown in logs, errors and metrics. */
public final class Redact {
  /** Header names whose values carry credentials. */
  private static final Pattern CREDENTIAL_HEADER = Pattern.compile("(?i).*(auth|token|key|secret|password|cookie|session).*");

  private Redact() {
  }

  /**
   * The URL with the secret of its user info replaced: the password of {@code user:password}
   * (https://user:***@host/), or the whole user info when it has no password, as a token alone is a secret
   * (https://***@host/).
   */
  public static String url(String url) {
    try {
      URI uri = new URI(url);
      String userInfo = uri.getRawUserInfo();
      if (userInfo == null) {
        return url;
      }
      int colon = userInfo.indexOf(':');
      String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
      return url.replace(userInfo + "@", shown + "@");
    } catch (URISyntaxException e) {
      int at = url.indexOf('@');
      return at < 0 ? url : "***" + url.substring(at);
    }
  }

  public static String url(URI url) {
    return url == null ? null : url(url.toString());
  }

  /** Whether a header of this name carries credentials, so its value is never shown (e.g. Authorization, X-Api-Key). */
  public static boolean credentialHeader(String name) {
    return CREDENTIAL_HEADER.matcher(name).matches();
  }
}
