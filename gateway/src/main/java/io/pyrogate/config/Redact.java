package io.pyrogate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes credentials from values that are shown in logs, errors and metrics. */
public final class Redact {
  /** Header names whose values carry credentials. */
  private static final Pattern URL_USER_INFO =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/?#@\\s\"]+)@");

  private static final Pattern CREDENTIAL_HEADER =
      Pattern.compile("(?i).*(auth|token|key|secret|password|cookie|session).*");

  private Redact() {}

  /**
   * The URL with the secret of its user info replaced: the password of {@code user:password}
   * (https://user:***@host/), or the whole user info when it has no password, as a token alone is a
   * secret (https://***@host/).
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

  /**
   * The text (a configuration's source) with each secret written as a whole string literal ({@code
   * "secret"} or {@code `secret`}), and the user info of every URL in it, replaced by as many '*'
   * (line breaks kept), so lines and columns stay where they were. Only whole literals: a short
   * secret ("p") must not mask every "p" of the text.
   */
  public static String source(String text, Collection<String> secrets) {
    StringBuilder out = new StringBuilder(text);
    for (String secret : secrets) {
      if (secret.isEmpty()) {
        continue;
      }
      for (String quote : new String[] {"\"", "`"}) {
        String literal = quote + secret + quote;
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
          mask(out, at + 1, at + 1 + secret.length());
        }
      }
    }
    Matcher userInfo = URL_USER_INFO.matcher(text);
    while (userInfo.find()) {
      mask(out, userInfo.start(1), userInfo.end(1));
    }
    return out.toString();
  }

  private static void mask(StringBuilder text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != '\n' && text.charAt(i) != '\r') {
        text.setCharAt(i, '*');
      }
    }
  }

  /**
   * Whether a header of this name carries credentials, so its value is never shown (e.g.
   * Authorization, X-Api-Key).
   */
  public static boolean credentialHeader(String name) {
    return CREDENTIAL_HEADER.matcher(name).matches();
  }
}
