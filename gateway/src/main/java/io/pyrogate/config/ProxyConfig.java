package io.pyrogate.config;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How requests reach a server through an HTTP proxy: an explicit {@code proxy_url} (with {@code
 * no_proxy} exceptions), or {@code proxy_from_environment} (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), or
 * none.
 *
 * @param noProxy comma-separated IPs, CIDRs and domain names (optionally with ports) that bypass
 *     the proxy
 * @param connectHeaders headers sent to the proxy on CONNECT; values are secret. Only {@value
 *     #PROXY_AUTHORIZATION} with Basic credentials passes validation: pyrogate's HTTP client sends
 *     nothing else on CONNECT
 */
public record ProxyConfig(
    URI proxyUrl,
    String noProxy,
    boolean fromEnvironment,
    Map<String, List<Secret>> connectHeaders) {
  public static final String PROXY_AUTHORIZATION = "Proxy-Authorization";

  /**
   * Credentials for the proxy: from the user info of its URL, or a Basic {@value
   * #PROXY_AUTHORIZATION} header.
   */
  public record Credentials(String username, Secret password) {}

  public ProxyConfig {
    connectHeaders = Map.copyOf(connectHeaders);
  }

  public static ProxyConfig none() {
    return new ProxyConfig(null, null, false, Map.of());
  }

  /**
   * The credentials of a valid {@value #PROXY_AUTHORIZATION} connect header, if one is configured.
   */
  public Optional<Credentials> connectHeaderCredentials() {
    return connectHeaders.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(PROXY_AUTHORIZATION) && e.getValue().size() == 1)
        .findFirst()
        .flatMap(e -> basicCredentials(e.getValue().get(0).reveal()));
  }

  /**
   * Decodes {@code Basic base64(user:password)}; empty when the value is not that. Nothing of the
   * value goes into an exception or message.
   */
  public static Optional<Credentials> basicCredentials(String headerValue) {
    String v = headerValue.strip();
    if (v.length() < 6 || !v.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(v.substring(6).strip());
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString();
    } catch (CharacterCodingException notUtf8) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials(decoded.substring(0, colon), new Secret(decoded.substring(colon + 1))));
  }

  /**
   * The proxy URL without its password; connect header values are secret, so only names are shown.
   */
  @Override
  public String toString() {
    return "ProxyConfig[proxyUrl="
        + Redact.url(proxyUrl)
        + ", noProxy="
        + noProxy
        + ", fromEnvironment="
        + fromEnvironment
        + ", connectHeaders="
        + connectHeaders.keySet()
        + "]";
  }
}
