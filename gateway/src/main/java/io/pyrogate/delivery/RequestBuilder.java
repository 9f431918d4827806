package io.pyrogate.delivery;

import io.pyrogate.pyroscope.PyroscopeHttp;
import io.pyrogate.record.ProfileRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;

/**
 * The HTTP request of a profile as a Pyroscope endpoint takes it: a push goes to {@code push.v1}
 * over Connect, an /ingest body to {@code /ingest} with its query, each with the content type and
 * encoding it was stored with, and {@code remote_timeout} as the attempt's timeout. The endpoint's
 * own headers and credentials are {@link EndpointHeaders}'.
 */
final class RequestBuilder {
  private final String baseUrl;
  private final long timeoutMillis;

  /**
   * @param url the endpoint's URL; its user info goes in Authorization instead (EndpointHeaders)
   */
  RequestBuilder(URI url, Duration remoteTimeout) {
    String base = UrlUserInfo.withoutUserInfo(url);
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.timeoutMillis = remoteTimeout.toMillis();
  }

  /**
   * @param profile what decides the request: kind, content type and encoding, query (a batch's
   *     first record)
   */
  HttpRequest<Buffer> build(WebClient web, ProfileRecord profile) {
    HttpRequest<Buffer> req;
    if (profile.kind() == ProfileRecord.Kind.INGEST) {
      req =
          web.postAbs(
              baseUrl
                  + PyroscopeHttp.INGEST_PATH
                  + (profile.query() == null ? "" : "?" + profile.query()));
    } else {
      req =
          web.postAbs(baseUrl + PyroscopeHttp.PUSH_PATH)
              .putHeader(PyroscopeHttp.CONNECT_PROTOCOL_VERSION, PyroscopeHttp.CONNECT_VERSION);
    }
    req.putHeader("Content-Type", profile.contentType());
    if (profile.contentEncoding() != null) {
      req.putHeader("Content-Encoding", profile.contentEncoding());
    }
    req.timeout(timeoutMillis);
    return req;
  }
}
