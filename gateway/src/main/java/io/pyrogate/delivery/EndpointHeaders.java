package io.pyrogate.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pyrogate.config.Endpoint;
import io.pyrogate.config.HttpClientConfig;
import io.pyrogate.config.Secret;
import io.vertx.core.MultiMap;

/**
 * The headers an endpoint sends with every request, in Alloy's order of precedence: the credentials of the
 * one configured authentication method, then {@code http_headers}, then the endpoint's {@code headers},
 * each overriding the same name before it. The record's tenant becomes {@code X-Scope-OrgID} unless the
 * configuration sets that header.
 */
final class EndpointHeaders {
  private static final String TENANT = "X-Scope-OrgID";

  private final Map<String, List<String>> fixed;
  private final boolean tenantConfigured;

  EndpointHeaders(Endpoint endpoint) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    HttpClientConfig http = endpoint.http();
    String authorization = authorization(http);
    if (authorization != null) {
      h.put("Authorization", List.of(authorization));
    }
    http.httpHeaders().forEach((name, values) -> put(h, name, values.stream().map(Secret::reveal).toList()));
    endpoint.headers().forEach((name, value) -> put(h, name, List.of(value)));
    this.fixed = h;
    this.tenantConfigured = h.keySet().stream().anyMatch(TENANT::equalsIgnoreCase);
  }

  /** Adds the endpoint's headers, and the tenant of the record when the configuration did not set one. */
  void applyTo(MultiMap headers, String tenant) {
    fixed.forEach(headers::set);
    if (tenant != null && !tenantConfigured) {
      headers.set(TENANT, tenant);
    }
  }

  private static void put(Map<String, List<String>> h, String name, List<String> values) {
    h.keySet().removeIf(existing -> existing.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
    h.put(name, new ArrayList<>(values));
  }

  private static String authorization(HttpClientConfig http) {
    if (http.basicAuth() != null && http.basicAuth().password() != null) {
      String pair = http.basicAuth().username() + ":" + http.basicAuth().password().reveal();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    if (http.authorization() != null && http.authorization().credentials() != null) {
      return http.authorization().type() + " " + http.authorization().credentials().reveal();
    }
    if (http.bearerToken() != null) {
      return "Bearer " + http.bearerToken().reveal();
    }
    return null;
  }
}
