package io.pyrogate.config;

import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.Position;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a {@code pyroscope.write} component: its external labels and its {@code endpoint} blocks
 * (URL, retries, headers and, through {@link HttpClientDecoder}, the HTTP client arguments), each
 * with a distinct name.
 */
final class WriteDecoder {
  private WriteDecoder() {}

  /** A {@code pyroscope.write} component. */
  static WriteComponent read(Block b, BlockReader.Context ctx) {
    Diagnostics diags = ctx.diags();
    String what = "pyroscope.write \"" + b.label() + "\"";
    BlockReader r = BlockReader.of(what, b, ctx);
    Map<String, String> externalLabels = r.stringMap("external_labels").orElse(Map.of());
    r.block("tracing")
        .ifPresent(
            t -> {
              // Undocumented in Alloy; trace propagation does not apply to pyrogate, so it is read
              // and ignored.
              BlockReader tr = BlockReader.of(what + " tracing", t, ctx);
              tr.bool("jaeger_propagator");
              tr.bool("trace_context_propagator");
              tr.finish();
            });
    List<Endpoint> endpoints = new ArrayList<>();
    Map<String, Position> names = new HashMap<>();
    Map<String, Integer> generated = new HashMap<>();
    for (Block e : r.blocks("endpoint")) {
      Endpoint endpoint = endpoint(what, e, generated, ctx);
      if (endpoint == null) {
        continue;
      }
      Position first = names.putIfAbsent(endpoint.name(), e.position());
      if (first != null) {
        diags.error(
            e.position(),
            "endpoint name \""
                + endpoint.name()
                + "\" is already used in "
                + what
                + " at "
                + first
                + "; give each endpoint a distinct name");
        continue;
      }
      endpoints.add(endpoint);
    }
    r.finish();
    return new WriteComponent(b.label(), endpoints, externalLabels);
  }

  private static Endpoint endpoint(
      String parent, Block b, Map<String, Integer> generated, BlockReader.Context ctx) {
    Diagnostics diags = ctx.diags();
    BlockReader r = BlockReader.of(parent + " endpoint", b, ctx);
    String url = r.requiredString("url");
    URI uri = null;
    if (url != null) {
      uri = parseUrl(url, r.positionOf("url").orElse(b.position()), diags);
    }
    String name = r.string("name").filter(s -> !s.isEmpty()).orElse(null);
    if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
      diags.error(
          r.positionOf("name").orElse(b.position()),
          "endpoint name \""
              + name
              + "\" may contain only letters, digits, '.', '_' and '-' (it names a Kafka consumer group)");
    }
    Duration timeout = r.positiveDuration("remote_timeout", Endpoint.DEFAULT_REMOTE_TIMEOUT);
    Map<String, String> headers = r.stringMap("headers").orElse(Map.of());
    headers.forEach(
        (header, value) -> {
          if (Redact.credentialHeader(header)) {
            r.secretValue(value);
          }
        });
    Duration minBackoff = r.positiveDuration("min_backoff_period", Endpoint.DEFAULT_MIN_BACKOFF);
    Duration maxBackoff = r.positiveDuration("max_backoff_period", Endpoint.DEFAULT_MAX_BACKOFF);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      diags.error(
          r.positionOf("max_backoff_period").orElse(b.position()),
          "max_backoff_period ("
              + maxBackoff
              + ") must not be less than min_backoff_period ("
              + minBackoff
              + ")");
    }
    long retries =
        r.number("max_backoff_retries").orElse((long) Endpoint.DEFAULT_MAX_BACKOFF_RETRIES);
    if (retries < 0 || retries > Integer.MAX_VALUE) {
      diags.error(
          r.positionOf("max_backoff_retries").orElse(b.position()),
          "max_backoff_retries must be 0 (retry forever) or more, got " + retries);
    }
    boolean retry429 = r.bool("retry_on_http_429").orElse(true);
    HttpClientConfig http = HttpClientDecoder.read(r);
    // Alloy accepts these; they only concern debug-info uploads and tracing, which pyrogate does
    // not do.
    r.duration("debug_info_upload_timeout");
    StartFrom startFrom = startFrom(r);
    TenantSendRate tenantSendRate = tenantSendRate(r);
    r.finish();
    if (uri == null) {
      return null;
    }
    if (name == null) {
      name = generatedName(uri, generated);
    }
    return new Endpoint(
        name,
        uri,
        timeout,
        headers,
        minBackoff,
        maxBackoff,
        (int) Math.max(0, Math.min(retries, Integer.MAX_VALUE)),
        retry429,
        http,
        startFrom,
        tenantSendRate);
  }

  /**
   * The pyrogate extension {@code start_from}; {@code validate} warns that Alloy would refuse the
   * file with it.
   */
  private static StartFrom startFrom(BlockReader r) {
    Optional<String> text = r.string(StartFrom.ARGUMENT);
    if (text.isEmpty()) {
      return StartFrom.END;
    }
    Position at = extension(r, StartFrom.ARGUMENT);
    try {
      return StartFrom.parse(text.get());
    } catch (IllegalArgumentException e) {
      r.diagnostics().error(at, StartFrom.ARGUMENT + ": " + e.getMessage());
      return StartFrom.END;
    }
  }

  /**
   * The pyrogate extension {@code tenant_send_rate}; {@code validate} warns that Alloy would refuse
   * the file with it.
   */
  private static TenantSendRate tenantSendRate(BlockReader r) {
    Optional<String> text = r.string(TenantSendRate.ARGUMENT);
    if (text.isEmpty()) {
      return TenantSendRate.NONE;
    }
    Position at = extension(r, TenantSendRate.ARGUMENT);
    try {
      return TenantSendRate.parse(text.get());
    } catch (IllegalArgumentException e) {
      r.diagnostics().error(at, TenantSendRate.ARGUMENT + ": " + e.getMessage());
      return TenantSendRate.NONE;
    }
  }

  /**
   * The position of the pyrogate extension argument {@code name}, which is set; {@code validate}
   * warns there that Alloy would refuse the file with it.
   */
  private static Position extension(BlockReader r, String name) {
    Position at = r.positionOf(name).orElse(r.position());
    if (r.context().validateOnly()) {
      r.diagnostics()
          .warning(
              at,
              name
                  + " is a pyrogate extension: Alloy does not understand it and refuses this file"
                  + " (unrecognized attribute name \""
                  + name
                  + "\")");
    }
    return at;
  }

  private static URI parseUrl(String url, Position at, Diagnostics diags) {
    try {
      URI uri = new URI(url);
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
        diags.error(at, "url \"" + Redact.url(url) + "\" must start with http:// or https://");
        return null;
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        diags.error(at, "url \"" + Redact.url(url) + "\" has no host");
        return null;
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        diags.error(
            at,
            "url \""
                + Redact.url(url)
                + "\" must not have a query or fragment; pyrogate appends the API path");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      String hint =
          url.contains("${")
              ? "; it looks like a template placeholder that was never filled in"
              : "";
      diags.error(
          at,
          "url \""
              + Redact.url(url)
              + "\" is not a valid URL ("
              + e.getReason().toLowerCase(Locale.ROOT)
              + " at index "
              + e.getIndex()
              + ")"
              + hint);
      return null;
    }
  }

  /**
   * A name from the URL, so it stays the same when endpoints are reordered: host_port[_path][-n].
   */
  private static String generatedName(URI uri, Map<String, Integer> generated) {
    String base =
        (uri.getHost()
                + (uri.getPort() > 0 ? "_" + uri.getPort() : "")
                + (uri.getPath() == null ? "" : uri.getPath()))
            .replaceAll("[^A-Za-z0-9.]+", "_")
            .replaceAll("_+$", "");
    int n = generated.merge(base, 1, Integer::sum);
    return n == 1 ? base : base + "-" + n;
  }
}
