package io.pyrogate.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How requests reach a server through an HTTP proxy: an explicit {@code proxy_url} (with {@code no_proxy}
 * exceptions), or {@code proxy_from_environment} (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), or none.
 *
 * @param noProxy comma-separated IPs, CIDRs and domain names (optionally with ports) that bypass the proxy
 * @param connectHeaders headers sent to the proxy on CONNECT; values are secret
 */
public record ProxyConfig(URI proxyUrl, String noProxy, boolean fromEnvironment, Map<String, List<Secret>> connectHeaders) {
  public ProxyConfig {
    connectHeaders = Map.copyOf(connectHeaders);
  }

  public static ProxyConfig none() {
    return new ProxyConfig(null, null, false, Map.of());
  }

  public boolean configured() {
    return proxyUrl != null || fromEnvironment;
  }
}
