package io.pyrogate.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The HTTP client arguments Alloy shares between components (its "common" HTTP client config): one
 * way of authenticating at most, TLS, proxy, HTTP/2 and redirects.
 *
 * @param bearerToken {@code bearer_token} or {@code bearer_token_file}, or null
 * @param httpHeaders extra headers whose values are secret (several values per name allowed)
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    OAuth2 oauth2,
    SecretSource bearerToken,
    boolean enableHttp2,
    boolean followRedirects,
    ProxyConfig proxy,
    TlsConfig tls,
    Map<String, List<Secret>> httpHeaders) {

  public HttpClientConfig {
    httpHeaders = Map.copyOf(httpHeaders);
  }

  public static HttpClientConfig defaults() {
    return new HttpClientConfig(
        null, null, null, null, true, true, ProxyConfig.none(), TlsConfig.defaults(), Map.of());
  }

  /**
   * A {@code basic_auth} block; the password ({@code password} or {@code password_file}) may be
   * null.
   */
  public record BasicAuth(String username, SecretSource password) {}

  /**
   * An {@code authorization} block: {@code Authorization: <type> <credentials>}; the credentials
   * ({@code credentials} or {@code credentials_file}) may be null.
   */
  public record Authorization(String type, SecretSource credentials) {
    public static final String DEFAULT_TYPE = "Bearer";
  }

  /** An {@code oauth2} block: the client-credentials grant, with its own proxy and TLS settings. */
  public record OAuth2(
      String clientId,
      SecretSource clientSecret,
      List<String> scopes,
      URI tokenUrl,
      Map<String, String> endpointParams,
      ProxyConfig proxy,
      TlsConfig tls) {
    public OAuth2 {
      scopes = List.copyOf(scopes);
      endpointParams = Map.copyOf(endpointParams);
    }

    /** endpoint_params may carry credentials too, so only their names are shown. */
    @Override
    public String toString() {
      return "OAuth2[clientId="
          + clientId
          + ", clientSecret="
          + clientSecret
          + ", scopes="
          + scopes
          + ", tokenUrl="
          + Redact.url(tokenUrl)
          + ", endpointParams="
          + endpointParams.keySet()
          + ", proxy="
          + proxy
          + ", tls="
          + tls
          + "]";
    }
  }
}
