package io.pyrogate.delivery;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.Redact;
import io.pyrogate.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The headers an endpoint sends with every request, in Alloy's order of precedence: the credentials
 * of the one configured authentication method, then {@code http_headers}, then the endpoint's
 * {@code headers}, each overriding the same name before it. The record's tenant becomes {@code
 * X-Scope-OrgID} unless the configuration sets that header. Secrets from files are re-read when the
 * files change. With {@code oauth2}, the credentials are a token of {@link OAuth2Tokens}, fetched
 * when needed, and replace any other Authorization (Go's oauth2 transport sets its token
 * unconditionally). Its {@link #scrubber()} knows the secret values among them, including the
 * recent {@code Authorization} values sent.
 *
 * <p>The user info of the URL is sent as Go's http.Client sends it, {@code Authorization: Basic
 * base64(user:password)}, before Alloy's round trippers run: so unless the endpoint's {@code
 * headers} set an Authorization, it wins over {@code basic_auth}, {@code authorization} and {@code
 * bearer_token} (they only set an empty Authorization), and an {@code http_headers} Authorization
 * is added after it as a second value.
 */
final class EndpointHeaders {
  private static final String TENANT = "X-Scope-OrgID";
  private static final String AUTHORIZATION = "Authorization";

  /** Authorization values remembered for scrubbing: a failure may echo a token renewed since. */
  private static final int RECENT_AUTHORIZATIONS = 4;

  private final Map<String, List<String>> fixed;
  private final boolean tenantConfigured;
  private final SecretReader secret;
  private final Supplier<String> authorization;

  /**
   * The Authorization of the URL's user info; null without one or when the endpoint's headers set
   * one.
   */
  private final String userInfo;

  private final OAuth2Tokens oauth2;
  private final List<String> secretHeaderValues;
  private final Deque<String> recentAuthorizations = new ArrayDeque<>(RECENT_AUTHORIZATIONS);
  private final SecretScrubber scrubber;

  /**
   * @param oauth2 the tokens of the endpoint's oauth2 block; null without one
   */
  EndpointHeaders(Vertx vertx, Endpoint endpoint, OAuth2Tokens oauth2) {
    HttpClientConfig http = endpoint.http();
    Map<String, List<String>> h = new LinkedHashMap<>();
    http.httpHeaders()
        .forEach((name, values) -> put(h, name, values.stream().map(Secret::reveal).toList()));
    endpoint.headers().forEach((name, value) -> put(h, name, List.of(value)));
    this.fixed = h;
    List<String> secretValues = new ArrayList<>();
    http.httpHeaders()
        .values()
        .forEach(values -> values.forEach(v -> secretValues.add(v.reveal())));
    endpoint
        .headers()
        .forEach(
            (name, value) -> {
              if (Redact.credentialHeader(name)) {
                secretValues.add(value);
              }
            });
    this.tenantConfigured = setsTenant(endpoint);
    boolean authorizationConfigured = h.keySet().stream().anyMatch(AUTHORIZATION::equalsIgnoreCase);
    // Alloy sets the endpoint's headers on the request itself, so Go's client sends no user info
    // over them.
    this.userInfo =
        endpoint.headers().keySet().stream().anyMatch(AUTHORIZATION::equalsIgnoreCase)
            ? null
            : UrlUserInfo.of(endpoint.url())
                .map(u -> basic(u.username(), u.password().reveal()))
                .orElse(null);
    if (userInfo != null) {
      secretValues.add(userInfo);
    }
    this.secretHeaderValues = List.copyOf(secretValues);
    this.scrubber = new SecretScrubber(endpoint, this::secretValues);

    SecretReader reader = null;
    Supplier<String> auth = null;
    if (authorizationConfigured || userInfo != null) {
      // An Authorization is already there: Alloy's round trippers neither set one nor read their
      // secret files.
    } else if (http.basicAuth() != null) {
      HttpClientConfig.BasicAuth basic = http.basicAuth();
      if (basic.password() != null) {
        SecretReader r = new SecretReader(vertx, basic.password());
        reader = r;
        auth = () -> basic(basic.username(), r.value());
      } else {
        auth = () -> basic(basic.username(), "");
      }
    } else if (http.authorization() != null) {
      HttpClientConfig.Authorization a = http.authorization();
      if (a.credentials() != null) {
        SecretReader r = new SecretReader(vertx, a.credentials());
        reader = r;
        auth = () -> a.type() + " " + r.value();
      }
    } else if (http.bearerToken() != null) {
      SecretReader r = new SecretReader(vertx, http.bearerToken());
      reader = r;
      auth = () -> "Bearer " + r.value();
    }
    this.secret = reader;
    this.authorization = auth;
    this.oauth2 = oauth2;
  }

  /**
   * Whether the endpoint's {@code headers} or {@code http_headers} set X-Scope-OrgID: then it is
   * the tenant of every request, whatever the record's.
   */
  static boolean setsTenant(Endpoint endpoint) {
    return endpoint.headers().keySet().stream().anyMatch(TENANT::equalsIgnoreCase)
        || endpoint.http().httpHeaders().keySet().stream().anyMatch(TENANT::equalsIgnoreCase);
  }

  /**
   * Sets the endpoint's headers, and the tenant of the record when the configuration did not set
   * one. Fails, and nothing is sent, when a secret file cannot be read.
   */
  Future<Void> applyTo(MultiMap headers, String tenant) {
    Future<String> credentials;
    if (oauth2 != null) {
      credentials = oauth2.authorization();
    } else {
      Future<Void> ready = secret == null ? Future.succeededFuture() : secret.refresh();
      credentials = ready.map(v -> authorization == null ? null : authorization.get());
    }
    return credentials.map(
        value -> {
          fixed.forEach(headers::set);
          if (userInfo != null) {
            List<String> fromHttpHeaders = headers.getAll(AUTHORIZATION);
            headers.set(AUTHORIZATION, userInfo).add(AUTHORIZATION, fromHttpHeaders);
          }
          if (value != null) {
            headers.set(AUTHORIZATION, value);
            remember(value);
          }
          if (tenant != null && !tenantConfigured) {
            headers.set(TENANT, tenant);
          }
          return null;
        });
  }

  /**
   * Whether a 401 is worth one immediate retry with fresh credentials: only an oauth2 token can be
   * renewed.
   */
  boolean renewable() {
    return oauth2 != null;
  }

  /**
   * The endpoint answered 401 to a request with these headers: the token they carried is not used
   * again.
   */
  void unauthorized(MultiMap sent) {
    if (oauth2 != null) {
      String value = sent.get(AUTHORIZATION);
      if (value != null) {
        oauth2.rejected(value);
      }
    }
  }

  /** Removes the secrets of these headers from text that came back from the endpoint. */
  SecretScrubber scrubber() {
    return scrubber;
  }

  private List<String> secretValues() {
    List<String> values = new ArrayList<>(secretHeaderValues);
    values.addAll(recentAuthorizations);
    return values;
  }

  private void remember(String authorization) {
    if (authorization.equals(recentAuthorizations.peekFirst())) {
      return;
    }
    recentAuthorizations.remove(authorization);
    if (recentAuthorizations.size() == RECENT_AUTHORIZATIONS) {
      recentAuthorizations.removeLast();
    }
    recentAuthorizations.addFirst(authorization);
  }

  private static void put(Map<String, List<String>> h, String name, List<String> values) {
    h.keySet()
        .removeIf(
            existing -> existing.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
    h.put(name, new ArrayList<>(values));
  }

  private static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
