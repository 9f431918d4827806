package io.pyrogate.config;

import io.pyrogate.config.HttpClientConfig.Authorization;
import io.pyrogate.config.HttpClientConfig.BasicAuth;
import io.pyrogate.config.HttpClientConfig.OAuth2;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Position;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes and validates Alloy's common HTTP client arguments (squashed into {@code endpoint}) with
 * the rules of Alloy's documentation: one authentication method at most, one of each inline/file
 * pair, a client key with a client certificate, and the proxy combinations.
 */
final class HttpClientDecoder {
  private HttpClientDecoder() {}

  static HttpClientConfig read(BlockReader r) {
    HttpClientConfig d = HttpClientConfig.defaults();
    Optional<Block> basicBlock = r.block("basic_auth");
    Optional<Block> authorizationBlock = r.block("authorization");
    Optional<Block> oauth2Block = r.block("oauth2");
    Optional<Block> tlsBlock = r.block("tls_config");

    List<String> methods = new ArrayList<>();
    basicBlock.ifPresent(b -> methods.add("basic_auth"));
    authorizationBlock.ifPresent(b -> methods.add("authorization"));
    oauth2Block.ifPresent(b -> methods.add("oauth2"));
    if (r.has("bearer_token")) {
      methods.add("bearer_token");
    }
    if (r.has("bearer_token_file")) {
      methods.add("bearer_token_file");
    }
    if (methods.size() > 1) {
      r.diagnostics()
          .error(
              r.position(),
              "at most one of basic_auth, authorization, oauth2, bearer_token & "
                  + "bearer_token_file must be configured in "
                  + r.what()
                  + "; found "
                  + String.join(", ", methods));
    }

    BasicAuth basic = basicBlock.map(b -> basicAuth(r, b)).orElse(null);
    Authorization authorization = authorizationBlock.map(b -> authorization(r, b)).orElse(null);
    OAuth2 oauth2 = oauth2Block.map(b -> oauth2(r, b)).orElse(null);
    SecretSource bearer = r.secretSource("bearer_token", "bearer_token_file");
    boolean http2 = r.bool("enable_http2").orElse(d.enableHttp2());
    boolean redirects = r.bool("follow_redirects").orElse(d.followRedirects());
    ProxyConfig proxy = proxy(r);
    TlsConfig tls =
        tlsBlock
            .map(b -> tls(BlockReader.of(r.what() + " tls_config", b, r.context())))
            .orElse(TlsConfig.defaults());
    Map<String, List<Secret>> httpHeaders = r.secretListMap("http_headers").orElse(Map.of());
    return new HttpClientConfig(
        basic, authorization, oauth2, bearer, http2, redirects, proxy, tls, httpHeaders);
  }

  private static BasicAuth basicAuth(BlockReader parent, Block b) {
    BlockReader r = BlockReader.of(parent.what() + " basic_auth", b, parent.context());
    String username = r.string("username").orElse("");
    exclusive(r, "password", "password_file", "basic_auth");
    SecretSource password = r.secretSource("password", "password_file");
    r.finish();
    return new BasicAuth(username, password);
  }

  private static Authorization authorization(BlockReader parent, Block b) {
    BlockReader r = BlockReader.of(parent.what() + " authorization", b, parent.context());
    String type = r.string("type").filter(s -> !s.isBlank()).orElse(Authorization.DEFAULT_TYPE);
    if (type.equalsIgnoreCase("basic")) {
      r.diagnostics()
          .error(
              r.positionOf("type").orElse(b.position()),
              "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    exclusive(r, "credentials", "credentials_file", "authorization");
    SecretSource credentials = r.secretSource("credentials", "credentials_file");
    r.finish();
    return new Authorization(type, credentials);
  }

  private static OAuth2 oauth2(BlockReader parent, Block b) {
    BlockReader r = BlockReader.of(parent.what() + " oauth2", b, parent.context());
    String clientId = r.string("client_id").orElse("");
    exclusive(r, "client_secret", "client_secret_file", "oauth2");
    SecretSource secret = r.secretSource("client_secret", "client_secret_file");
    List<String> scopes = r.stringList("scopes").orElse(List.of());
    URI tokenUrl = r.string("token_url").map(u -> url(r, "token_url", u)).orElse(null);
    if (!r.has("token_url")) {
      r.diagnostics()
          .error(b.position(), "missing required attribute \"token_url\" in " + r.what());
    }
    Map<String, String> params = r.stringMap("endpoint_params").orElse(Map.of());
    params.values().forEach(r::secretValue);
    if (!scopes.isEmpty() && params.containsKey("scope")) {
      // Go's clientcredentials refuses this at every token request; refusing it here says so before
      // start.
      r.diagnostics()
          .error(
              r.positionOf("endpoint_params").orElse(b.position()),
              "oauth2 endpoint_params cannot overwrite parameter \"scope\", which scopes sets");
    }
    if (tokenUrl != null
        && !List.of("http", "https").contains(tokenUrl.getScheme().toLowerCase(Locale.ROOT))) {
      r.diagnostics()
          .error(
              r.positionOf("token_url").orElse(b.position()),
              "token_url \"" + Redact.url(tokenUrl) + "\" must start with http:// or https://");
    }
    ProxyConfig proxy = proxy(r);
    TlsConfig tls =
        r.block("tls_config")
            .map(t -> tls(BlockReader.of(r.what() + " tls_config", t, r.context())))
            .orElse(TlsConfig.defaults());
    r.finish();
    return new OAuth2(clientId, secret, scopes, tokenUrl, params, proxy, tls);
  }

  /**
   * proxy_url, no_proxy, proxy_from_environment and proxy_connect_header, as Alloy validates them.
   */
  static ProxyConfig proxy(BlockReader r) {
    URI proxyUrl =
        r.string("proxy_url")
            .filter(s -> !s.isEmpty())
            .map(u -> url(r, "proxy_url", u))
            .orElse(null);
    String noProxy = r.string("no_proxy").filter(s -> !s.isEmpty()).orElse(null);
    boolean fromEnvironment = r.bool("proxy_from_environment").orElse(false);
    Map<String, List<Secret>> connectHeaders =
        r.secretListMap("proxy_connect_header").orElse(Map.of());
    if (fromEnvironment && proxyUrl != null) {
      r.diagnostics()
          .error(
              r.positionOf("proxy_url").orElse(r.position()),
              "if proxy_from_environment is configured, proxy_url must not be configured");
    }
    if (fromEnvironment && noProxy != null) {
      r.diagnostics()
          .error(
              r.positionOf("no_proxy").orElse(r.position()),
              "if proxy_from_environment is configured, no_proxy must not be configured");
    }
    if (noProxy != null && proxyUrl == null && !fromEnvironment) {
      r.diagnostics()
          .error(
              r.positionOf("no_proxy").orElse(r.position()),
              "if no_proxy is configured, proxy_url must also be configured");
    }
    if (!connectHeaders.isEmpty() && proxyUrl == null && !fromEnvironment) {
      r.diagnostics()
          .error(
              r.positionOf("proxy_connect_header").orElse(r.position()),
              "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
    }
    if (proxyUrl != null) {
      proxyScheme(r, proxyUrl);
    }
    connectHeaders(r, connectHeaders);
    return new ProxyConfig(proxyUrl, noProxy, fromEnvironment, connectHeaders);
  }

  /** The proxy kinds pyrogate's HTTP client (Vert.x) speaks: HTTP (CONNECT for TLS) and SOCKS5. */
  private static void proxyScheme(BlockReader r, URI proxyUrl) {
    String scheme = proxyUrl.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      r.diagnostics()
          .error(
              r.positionOf("proxy_url").orElse(r.position()),
              "proxy_url \""
                  + Redact.url(proxyUrl)
                  + "\": a proxy reached over TLS (https://) is not supported; use http:// (requests to an https endpoint "
                  + "stay encrypted end to end inside the CONNECT tunnel)");
    } else if (!List.of("http", "socks5", "socks5h").contains(scheme)) {
      r.diagnostics()
          .error(
              r.positionOf("proxy_url").orElse(r.position()),
              "proxy_url \""
                  + Redact.url(proxyUrl)
                  + "\" has an unsupported scheme; use http:// (an HTTP proxy) or socks5://");
    }
  }

  /**
   * Vert.x sends no custom headers on CONNECT. A Basic Proxy-Authorization header carries only
   * proxy credentials, which Vert.x does send, so that one is accepted; anything else is refused
   * rather than silently not sent. Values are secrets: never part of a message.
   */
  private static void connectHeaders(BlockReader r, Map<String, List<Secret>> headers) {
    Position at = r.positionOf("proxy_connect_header").orElse(r.position());
    for (Map.Entry<String, List<Secret>> h : headers.entrySet()) {
      if (!h.getKey().equalsIgnoreCase(ProxyConfig.PROXY_AUTHORIZATION)) {
        r.diagnostics()
            .error(
                at,
                "proxy_connect_header \""
                    + h.getKey()
                    + "\" is not supported: pyrogate's HTTP client "
                    + "cannot send custom headers on CONNECT; only \"Proxy-Authorization\" with Basic credentials is supported "
                    + "(or put the credentials in proxy_url as http://user:password@host:port)");
      } else if (h.getValue().size() != 1
          || ProxyConfig.basicCredentials(h.getValue().get(0).reveal()).isEmpty()) {
        r.diagnostics()
            .error(
                at,
                "proxy_connect_header \""
                    + h.getKey()
                    + "\" must be exactly one value "
                    + "\"Basic <base64 of user:password>\"; pyrogate's HTTP client sends proxy credentials only as Basic");
      }
    }
  }

  static TlsConfig tls(BlockReader r) {
    exclusive(r, "ca_pem", "ca_file", "tls_config");
    exclusive(r, "cert_pem", "cert_file", "tls_config");
    exclusive(r, "key_pem", "key_file", "tls_config");
    SecretSource ca = certificate(r, "ca_pem", "ca_file");
    SecretSource cert = certificate(r, "cert_pem", "cert_file");
    SecretSource key = r.secretSource("key_pem", "key_file");
    boolean hasCert = cert != null;
    boolean hasKey = key != null;
    if (hasCert && !hasKey) {
      r.diagnostics()
          .error(
              r.positionOf(cert.file() == null ? "cert_pem" : "cert_file").orElse(r.position()),
              "exactly one of key_pem or key_file must be configured if a client certificate is configured");
    }
    if (hasKey && !hasCert) {
      r.diagnostics()
          .error(
              r.positionOf(key.file() == null ? "key_pem" : "key_file").orElse(r.position()),
              "exactly one of cert_pem or cert_file must be configured if a client key is configured");
    }
    String serverName = r.string("server_name").filter(s -> !s.isEmpty()).orElse(null);
    boolean insecure = r.bool("insecure_skip_verify").orElse(false);
    String minVersion =
        r.string("min_version").filter(s -> !s.isEmpty()).orElse(TlsConfig.DEFAULT_MIN_VERSION);
    if (!TlsConfig.VERSIONS.contains(minVersion)) {
      r.diagnostics()
          .error(
              r.positionOf("min_version").orElse(r.position()),
              "unrecognized TLS version \""
                  + minVersion
                  + "\"; min_version must be one of \"TLS10\", \"TLS11\", \"TLS12\", \"TLS13\"");
      minVersion = TlsConfig.DEFAULT_MIN_VERSION;
    }
    r.finish();
    return new TlsConfig(ca, cert, key, serverName, insecure, minVersion);
  }

  /**
   * A PEM certificate inline or as a file: not secret, so unlike a key it stays visible on source
   * lines.
   */
  private static SecretSource certificate(BlockReader r, String inline, String file) {
    Optional<String> pem = r.string(inline);
    Optional<Path> path = r.path(file);
    return pem.map(p -> SecretSource.inline(new Secret(p)))
        .or(() -> path.map(SecretSource::file))
        .orElse(null);
  }

  /** Reports when both of an inline/file pair are set, at the second one. */
  private static void exclusive(BlockReader r, String inline, String file, String block) {
    if (r.has(inline) && r.has(file)) {
      Position second = later(r.positionOf(inline).orElseThrow(), r.positionOf(file).orElseThrow());
      r.diagnostics()
          .error(
              second,
              "at most one of " + block + " " + inline + " & " + file + " must be configured");
    }
  }

  private static Position later(Position a, Position b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static URI url(BlockReader r, String name, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        r.diagnostics()
            .error(
                r.positionOf(name).orElse(r.position()),
                name + " \"" + value + "\" must be an absolute URL such as http://host:port");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      r.diagnostics()
          .error(
              r.positionOf(name).orElse(r.position()),
              name + " \"" + value + "\" is not a valid URL: " + e.getReason());
      return null;
    }
  }
}
