package io.pyrogate.delivery;

import io.pyrogate.config.ProxyConfig;
import io.pyrogate.config.Redact;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Decides once, for the one URL an endpoint (or a token endpoint) has, whether its requests go
 * through a proxy, with Alloy's (Go's) rules:
 *
 * <ul>
 *   <li>{@code proxy_url} alone: always the proxy.
 *   <li>{@code proxy_url} with {@code no_proxy}: the proxy unless the URL's host matches {@code
 *       no_proxy} ({@link NoProxy}; localhost and loopback addresses then go direct too).
 *   <li>{@code proxy_from_environment}: HTTPS_PROXY for an https URL, HTTP_PROXY for an http URL
 *       (the upper case name first, then the lower case one), unless NO_PROXY matches; a value
 *       without a scheme is an http:// proxy.
 * </ul>
 *
 * <p>An http proxy is used with CONNECT for https URLs and as a forwarding proxy for http URLs, as
 * Go does. Credentials come from the proxy URL's user info or else from a Basic {@code
 * Proxy-Authorization} {@code proxy_connect_header}, and Vert.x sends them as {@code
 * Proxy-Authorization} in both cases.
 */
final class ProxyChoice {
  private ProxyChoice() {}

  /**
   * @param env the process environment (injectable for tests)
   * @return the proxy for requests to {@code target}, or null to connect directly
   * @throws IllegalArgumentException when the environment names a proxy URL that cannot be used;
   *     the message shows it without its password
   */
  static ProxyOptions forTarget(ProxyConfig config, URI target, UnaryOperator<String> env) {
    String scheme = target.getScheme().toLowerCase(Locale.ROOT);
    int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("https") ? 443 : 80;
    URI proxy;
    NoProxy noProxy;
    if (config.fromEnvironment()) {
      String name = scheme.equals("https") ? "HTTPS_PROXY" : "HTTP_PROXY";
      String value = firstSet(env, name, name.toLowerCase(Locale.ROOT));
      if (value == null) {
        return null;
      }
      proxy = parseEnvironmentProxy(name, value);
      noProxy = NoProxy.parse(firstSet(env, "NO_PROXY", "no_proxy"));
    } else if (config.proxyUrl() != null) {
      proxy = config.proxyUrl();
      noProxy = config.noProxy() == null ? null : NoProxy.parse(config.noProxy());
    } else {
      return null;
    }
    if (noProxy != null && noProxy.bypasses(target.getHost(), port)) {
      return null;
    }
    return options(proxy, config);
  }

  private static ProxyOptions options(URI proxy, ProxyConfig config) {
    String scheme = proxy.getScheme().toLowerCase(Locale.ROOT);
    boolean socks = scheme.startsWith("socks5");
    String host = proxy.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    ProxyOptions o =
        new ProxyOptions()
            .setType(socks ? ProxyType.SOCKS5 : ProxyType.HTTP)
            .setHost(host)
            .setPort(proxy.getPort() >= 0 ? proxy.getPort() : socks ? 1080 : 80);
    Optional<UrlUserInfo> userInfo = UrlUserInfo.of(proxy);
    if (userInfo.isPresent()) {
      // As Go: the URL's user info wins over a Proxy-Authorization connect header.
      o.setUsername(userInfo.get().username()).setPassword(userInfo.get().password().reveal());
    } else if (!socks) {
      config
          .connectHeaderCredentials()
          .ifPresent(c -> o.setUsername(c.username()).setPassword(c.password().reveal()));
    }
    return o;
  }

  /**
   * Go's httpproxy: a value that is not a URL with a known scheme is taken as {@code http://value}.
   */
  private static URI parseEnvironmentProxy(String name, String value) {
    URI uri = parse(value);
    if (uri == null
        || uri.getScheme() == null
        || !isKnownScheme(uri.getScheme())
        || uri.getHost() == null) {
      uri = parse("http://" + value);
    }
    if (uri == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name + " \"" + Redact.url(value) + "\" is not a proxy URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.startsWith("socks5")) {
      throw new IllegalArgumentException(
          name
              + " \""
              + Redact.url(value)
              + "\": only http:// and socks5:// proxies are "
              + "supported (a proxy reached over TLS is not)");
    }
    return uri;
  }

  private static boolean isKnownScheme(String scheme) {
    String s = scheme.toLowerCase(Locale.ROOT);
    return s.equals("http") || s.equals("https") || s.equals("socks5") || s.equals("socks5h");
  }

  private static URI parse(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String firstSet(UnaryOperator<String> env, String upper, String lower) {
    String v = env.apply(upper);
    if (v == null || v.isEmpty()) {
      v = env.apply(lower);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  /** host:port of the proxy, for log lines (never its credentials). */
  static String describe(ProxyOptions o) {
    return o.getType().name().toLowerCase(Locale.ROOT)
        + " proxy "
        + o.getHost()
        + ":"
        + o.getPort();
  }
}
