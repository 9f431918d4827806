package io.pyrogate.delivery;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.pyrogate.config.HttpClientConfig.OAuth2;
import io.pyrogate.config.Redact;
import io.pyrogate.golang.Url;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Access tokens of an {@code oauth2} block, by the client-credentials grant as Go's {@code
 * golang.org/x/oauth2/clientcredentials} gets them (which Alloy uses): a form POST to {@code
 * token_url} with {@code grant_type=client_credentials}, the space-joined {@code scopes} and {@code
 * endpoint_params}, the client id and secret as HTTP Basic (each form-encoded first, as RFC 6749
 * §2.3.1 and Go do).
 *
 * <p>A token is reused until 10 s before its {@code expires_in} runs out (Go's margin; without
 * {@code expires_in} until the endpoint refuses it). {@code client_secret_file} is read at each use
 * (again only when it changed), and a changed secret fetches a new token at once. Concurrent
 * requests share one fetch. A failed fetch fails the request that needed it, which is then retried
 * like any failed attempt: nothing is sent without a token. Tokens and secrets appear in no
 * message. Not thread-safe: used from its verticle's context only.
 */
final class OAuth2Tokens {
  /** Go's oauth2 expiryDelta: a token this close to its expiry is not used any more. */
  static final long EXPIRY_MARGIN_MS = 10_000;

  private static final int MAX_ERROR_CODE = 64;

  private final OAuth2 config;
  private final ReloadingWebClient client;
  private final SecretReader clientSecret;
  private final long timeoutMs;
  private final LongSupplier clock;
  private final String tokenUrl;
  private Token token;
  private Future<Token> fetching;
  private String fetchingWith;

  /**
   * @param secret the client secret it was fetched with, to notice a rotated secret
   */
  private record Token(String authorization, long refreshAtMillis, String secret) {
    @Override
    public String toString() {
      return "Token[(secret)]";
    }
  }

  /**
   * @param client the token endpoint's client, with the oauth2 block's proxy and tls_config
   * @param timeout of one token request (the endpoint's remote_timeout, as the token request is
   *     part of an attempt)
   */
  OAuth2Tokens(
      Vertx vertx, OAuth2 config, ReloadingWebClient client, Duration timeout, LongSupplier clock) {
    this.config = config;
    this.client = client;
    this.clientSecret =
        config.clientSecret() == null ? null : new SecretReader(vertx, config.clientSecret());
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.clock = clock;
    this.tokenUrl = config.tokenUrl().toString();
  }

  /** The {@code Authorization} header value to send: {@code <token_type> <access_token>}. */
  Future<String> authorization() {
    return secret()
        .compose(
            secret -> {
              Token t = token;
              if (t != null
                  && t.secret().equals(secret)
                  && clock.getAsLong() < t.refreshAtMillis()) {
                return Future.succeededFuture(t.authorization());
              }
              return fetch(secret).map(Token::authorization);
            });
  }

  /**
   * The endpoint answered 401 to a request sent with {@code sentAuthorization}: that token is not
   * used again, so the next {@link #authorization()} fetches a new one (unless another request
   * already did).
   */
  void rejected(String sentAuthorization) {
    if (token != null && token.authorization().equals(sentAuthorization)) {
      token = null;
    }
  }

  void close() {
    client.close();
  }

  private Future<String> secret() {
    if (clientSecret == null) {
      return Future.succeededFuture("");
    }
    return clientSecret.refresh().map(v -> clientSecret.value());
  }

  private Future<Token> fetch(String secret) {
    if (fetching != null && secret.equals(fetchingWith)) {
      return fetching;
    }
    Future<Token> f =
        client
            .get()
            .compose(
                web ->
                    web.postAbs(tokenUrl)
                        .timeout(timeoutMs)
                        .putHeader("Authorization", basic(config.clientId(), secret))
                        .putHeader("Content-Type", "application/x-www-form-urlencoded")
                        .putHeader("Accept", "application/json")
                        .sendBuffer(Buffer.buffer(form())))
            .transform(
                ar -> {
                  if (ar.failed()) {
                    client.recheck();
                    return Future.failedFuture(
                        new IllegalStateException(
                            "oauth2 token request to "
                                + Redact.url(tokenUrl)
                                + " failed: "
                                + ar.cause().getMessage()));
                  }
                  try {
                    return Future.succeededFuture(token(ar.result(), secret));
                  } catch (IllegalStateException e) {
                    return Future.failedFuture(e);
                  }
                });
    fetching = f;
    fetchingWith = secret;
    f.onComplete(
        ar -> {
          if (fetching == f) {
            fetching = null;
            fetchingWith = null;
          }
          if (ar.succeeded()) {
            token = ar.result();
          }
        });
    return f;
  }

  /**
   * grant_type, scope, then endpoint_params (which may replace grant_type, as in Go), sorted as Go
   * encodes them.
   */
  String form() {
    Map<String, String> params = new TreeMap<>();
    params.put("grant_type", "client_credentials");
    if (!config.scopes().isEmpty()) {
      params.put("scope", String.join(" ", config.scopes()));
    }
    params.putAll(config.endpointParams());
    StringBuilder b = new StringBuilder();
    params.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : "&")
                .append(Url.queryEscape(k))
                .append('=')
                .append(Url.queryEscape(v)));
    return b.toString();
  }

  private Token token(HttpResponse<Buffer> response, String secret) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new IllegalStateException(
          "oauth2 token request to "
              + Redact.url(tokenUrl)
              + " failed: HTTP "
              + status
              + errorCode(response));
    }
    String type = response.getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String accessToken;
    String tokenType;
    String expiresIn;
    if (mediaType.equals("application/x-www-form-urlencoded") || mediaType.equals("text/plain")) {
      Map<String, List<String>> form =
          new QueryStringDecoder(response.bodyAsString(), StandardCharsets.UTF_8, false)
              .parameters();
      accessToken = first(form, "access_token");
      tokenType = first(form, "token_type");
      expiresIn = first(form, "expires_in");
    } else {
      JsonObject json = json(response);
      accessToken = json.getValue("access_token") instanceof String s ? s : null;
      tokenType = json.getValue("token_type") instanceof String s ? s : null;
      Object e = json.getValue("expires_in");
      expiresIn = e == null ? null : e.toString();
    }
    if (accessToken == null || accessToken.isEmpty()) {
      throw new IllegalStateException(
          "oauth2 token request to "
              + Redact.url(tokenUrl)
              + ": server response missing access_token");
    }
    long refreshAt = Long.MAX_VALUE;
    long seconds = parseSeconds(expiresIn);
    if (seconds > 0) {
      refreshAt = clock.getAsLong() + seconds * 1000 - EXPIRY_MARGIN_MS;
    }
    return new Token(type(tokenType) + " " + accessToken, refreshAt, secret);
  }

  private JsonObject json(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json == null) {
        throw new IllegalStateException("empty body");
      }
      return json;
    } catch (RuntimeException e) {
      // The parser's message quotes the body, which may hold a token: say only what went wrong.
      throw new IllegalStateException(
          "oauth2 token request to " + Redact.url(tokenUrl) + ": response is not a JSON object");
    }
  }

  /**
   * An RFC 6749 error code such as {@code invalid_client}; other text of the body is not repeated.
   */
  private static String errorCode(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      Object error = json == null ? null : json.getValue("error");
      if (error instanceof String s
          && s.length() <= MAX_ERROR_CODE
          && s.matches("[A-Za-z0-9_.-]+")) {
        return " (" + s + ")";
      }
    } catch (RuntimeException notJson) {
      // no code to show
    }
    return "";
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * expires_in as a number of seconds (Go accepts a JSON number or a numeric string); 0 when
   * absent.
   */
  private static long parseSeconds(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    try {
      return Math.min(Integer.MAX_VALUE, (long) Double.parseDouble(s.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Go's Token.Type(): bearer, mac and basic in their canonical case, Bearer when absent. */
  private static String type(String tokenType) {
    if (tokenType == null || tokenType.isEmpty() || tokenType.equalsIgnoreCase("bearer")) {
      return "Bearer";
    }
    if (tokenType.equalsIgnoreCase("mac")) {
      return "MAC";
    }
    if (tokenType.equalsIgnoreCase("basic")) {
      return "Basic";
    }
    return tokenType;
  }

  /**
   * HTTP Basic with id and secret each form-encoded first, as Go's oauth2 sends client credentials.
   */
  static String basic(String clientId, String secret) {
    String pair = Url.queryEscape(clientId) + ":" + Url.queryEscape(secret);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
