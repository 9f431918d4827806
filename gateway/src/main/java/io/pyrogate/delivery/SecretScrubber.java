package io.pyrogate.delivery;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.ProxyConfig;
import io.pyrogate.config.Secret;
import io.pyrogate.config.SecretSource;
import io.pyrogate.golang.Url;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes an endpoint's secrets from text that came back from the endpoint (an error body may echo
 * the request's {@code Authorization} header or any other header) or from its connection, before
 * that text is logged, put in a dead-letter header or shown anywhere. Each secret is replaced by
 * {@value #MASK}.
 *
 * <p>The secrets are those of the configuration (the user info of the URL and of the proxy URL, the
 * oauth2 client secret and {@code endpoint_params} values, proxy credentials) and the header values
 * sent (the current and recent {@code Authorization} values, so the oauth2 token and secrets read
 * from files too, and the values of {@code http_headers} and of headers named like credentials).
 * Each is scrubbed as given, as the credentials after an authentication scheme ({@code Bearer
 * <token>}), Basic credentials also as their base64 and decoded password, and percent-encoded. A
 * text cut short (ending in "…") that ends in the start of a secret loses that start too.
 */
final class SecretScrubber {
  static final String MASK = Secret.SHOWN;

  /** The shortest start of a secret masked at the end of a text cut short. */
  private static final int MIN_CUT_PREFIX = 4;

  private static final String CUT = "…";

  private final List<String> configured;
  private final Supplier<Collection<String>> sent;

  /**
   * @param sent the secret header values being sent now (they change: tokens renew, files are
   *     re-read)
   */
  SecretScrubber(Endpoint endpoint, Supplier<Collection<String>> sent) {
    this.sent = sent;
    Set<String> values = new LinkedHashSet<>();
    HttpClientConfig http = endpoint.http();
    userInfo(values, endpoint.url());
    proxy(values, http.proxy());
    if (http.oauth2() != null) {
      HttpClientConfig.OAuth2 o = http.oauth2();
      if (o.clientSecret() instanceof SecretSource.Inline inline) {
        values.add(inline.read());
      }
      values.addAll(o.endpointParams().values());
      userInfo(values, o.tokenUrl());
      proxy(values, o.proxy());
    }
    this.configured = List.copyOf(values);
  }

  /** The failure with its reason scrubbed. */
  RetryPolicy.Failure scrub(RetryPolicy.Failure f) {
    return new RetryPolicy.Failure(f.status(), f.connectCode(), f.retryAfter(), scrub(f.reason()));
  }

  String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> forms = new ArrayList<>();
    configured.forEach(secret -> encoded(forms, secret));
    sent.get().forEach(value -> headerForms(forms, value));
    forms.removeIf(String::isEmpty);
    forms.sort(
        Comparator.comparingInt(String::length)
            .reversed()); // "Bearer x" before "x": the mask reads better
    String out = text;
    for (String form : forms) {
      out = out.replace(form, MASK);
    }
    return out.endsWith(CUT) ? maskCutSecret(out, forms) : out;
  }

  /**
   * A header value, the credentials after its scheme, and for Basic the decoded user:password and
   * password.
   */
  private static void headerForms(List<String> forms, String value) {
    encoded(forms, value);
    int space = value.indexOf(' ');
    if (space > 0) {
      encoded(forms, value.substring(space + 1).strip());
      if (value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
        ProxyConfig.basicCredentials(value)
            .ifPresent(
                c -> {
                  encoded(forms, c.username() + ":" + c.password().reveal());
                  encoded(forms, c.password().reveal());
                });
      }
    }
  }

  /**
   * A secret as it is, and percent-encoded as Go's url.QueryEscape writes it in a URL query or the
   * token form.
   */
  private static void encoded(List<String> forms, String secret) {
    forms.add(secret);
    forms.add(Url.queryEscape(secret));
  }

  private static String maskCutSecret(String text, List<String> forms) {
    String head = text.substring(0, text.length() - CUT.length());
    int longest = 0;
    for (String form : forms) {
      for (int n = Math.min(form.length() - 1, head.length());
          n >= MIN_CUT_PREFIX && n > longest;
          n--) {
        if (head.endsWith(form.substring(0, n))) {
          longest = n;
        }
      }
    }
    return longest == 0 ? text : head.substring(0, head.length() - longest) + MASK + CUT;
  }

  private static void proxy(Set<String> values, ProxyConfig proxy) {
    userInfo(values, proxy.proxyUrl());
    proxy.connectHeaders().values().forEach(list -> list.forEach(v -> add(values, v)));
  }

  /** The user info of a URL: whole (raw and decoded), and its password when it has one. */
  private static void userInfo(Set<String> values, URI url) {
    if (url == null || url.getRawUserInfo() == null) {
      return;
    }
    String raw = url.getRawUserInfo();
    values.add(raw);
    String decoded = Url.pathUnescape(raw);
    values.add(decoded);
    values.add(Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    int colon = decoded.indexOf(':');
    if (colon >= 0) {
      values.add(decoded.substring(colon + 1));
    }
  }

  private static void add(Set<String> values, Secret secret) {
    if (secret != null) {
      values.add(secret.reveal());
    }
  }
}
