package io.pyrogate.config;

import io.pyrogate.relabel.RelabelRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the effective configuration back in Alloy syntax, every default filled in and every secret
 * shown as {@code (secret)} — what pyrogate logs at start so an operator sees exactly what runs.
 * Secrets are the {@link Secret} values, header values whose names look like credentials, every
 * {@code endpoint_params} value, and the kafka {@code producer}/{@code consumer} properties Kafka
 * itself treats as passwords ({@code ssl.key.password}, {@code sasl.jaas.config}, {@code
 * ssl.keystore.key}, ...).
 */
public final class ConfigRenderer {
  private static final String SECRET = Secret.SHOWN;

  private final StringBuilder out = new StringBuilder();
  private int depth;

  private ConfigRenderer() {}

  public static String render(GatewayConfig config) {
    ConfigRenderer r = new ConfigRenderer();
    r.kafka(config.kafka());
    config.receivers().forEach(r::receiver);
    config.relabels().forEach(r::relabel);
    config.writes().forEach(r::write);
    return r.out.toString();
  }

  private void kafka(KafkaSettings k) {
    open("kafka");
    if (!k.embedded()) {
      attr("bootstrap_servers", list(k.bootstrapServers()));
    } else {
      attr("embedded_listen_address", quote(k.embeddedListenAddress()));
    }
    attr("topic_prefix", quote(k.topicPrefix()));
    attr("partitions", Integer.toString(k.partitions()));
    attr("replication_factor", Short.toString(k.replicationFactor()));
    if (k.tls() != null) {
      tls(k.tls());
    }
    if (k.sasl() != null) {
      open("sasl");
      attr("mechanism", quote(k.sasl().mechanism()));
      attr("username", quote(k.sasl().username()));
      secretOrFile("password", k.sasl().password());
      close();
    }
    if (!k.producer().isEmpty()) {
      attr("producer", kafkaProperties(k.producer()));
    }
    if (!k.consumer().isEmpty()) {
      attr("consumer", kafkaProperties(k.consumer()));
    }
    close();
  }

  private void receiver(ReceiveHttpComponent r) {
    open("pyroscope.receive_http \"" + r.label() + "\"");
    ReceiveHttpComponent.HttpServerConfig s = r.server();
    open("http");
    attr("listen_address", quote(s.listenAddress()));
    attr("listen_port", Integer.toString(s.listenPort()));
    attr("conn_limit", Integer.toString(s.connLimit()));
    attr("server_read_timeout", duration(s.readTimeout()));
    attr("server_write_timeout", duration(s.writeTimeout()));
    attr("server_idle_timeout", duration(s.idleTimeout()));
    close();
    attr(
        "forward_to",
        "["
            + String.join(
                ", ",
                r.forwardTo().stream()
                    .map(t -> ForwardTarget.componentId(t) + ".receiver")
                    .toList())
            + "]");
    close();
  }

  private void relabel(RelabelComponent c) {
    open("pyroscope.relabel \"" + c.label() + "\"");
    attr(
        "forward_to",
        "["
            + String.join(
                ", ",
                c.forwardTo().stream()
                    .map(t -> ForwardTarget.componentId(t) + ".receiver")
                    .toList())
            + "]");
    attr("max_cache_size", Integer.toString(c.maxCacheSize()));
    for (RelabelRule rule : c.rules()) {
      open("rule");
      if (rule.sourceLabels() != null) {
        attr("source_labels", list(rule.sourceLabels()));
      }
      attr("separator", quote(rule.separator()));
      attr("regex", quote(rule.regex()));
      if (rule.modulus() != 0) {
        attr("modulus", Long.toUnsignedString(rule.modulus()));
      }
      attr("target_label", quote(rule.targetLabel()));
      attr("replacement", quote(rule.replacement()));
      attr("action", quote(rule.action().wire()));
      close();
    }
    close();
  }

  private void write(WriteComponent w) {
    open("pyroscope.write \"" + w.label() + "\"");
    for (Endpoint e : w.endpoints()) {
      open("endpoint");
      attr("name", quote(e.name()));
      attr("url", quote(Redact.url(e.url())));
      attr("remote_timeout", duration(e.remoteTimeout()));
      if (!e.headers().isEmpty()) {
        attr("headers", map(e.headers(), true));
      }
      attr("min_backoff_period", duration(e.minBackoff()));
      attr("max_backoff_period", duration(e.maxBackoff()));
      attr("max_backoff_retries", Integer.toString(e.maxBackoffRetries()));
      attr("retry_on_http_429", Boolean.toString(e.retryOnHttp429()));
      if (!(e.startFrom() instanceof StartFrom.End)) {
        attr(StartFrom.ARGUMENT, quote(e.startFrom().toString()));
      }
      if (e.tenantSendRate().limited()) {
        attr(TenantSendRate.ARGUMENT, quote(e.tenantSendRate().toString()));
      }
      http(e.http());
      close();
    }
    if (!w.externalLabels().isEmpty()) {
      attr("external_labels", map(w.externalLabels(), false));
    }
    close();
  }

  private void http(HttpClientConfig h) {
    secretOrFile("bearer_token", h.bearerToken());
    attr("enable_http2", Boolean.toString(h.enableHttp2()));
    attr("follow_redirects", Boolean.toString(h.followRedirects()));
    proxy(h.proxy());
    if (!h.httpHeaders().isEmpty()) {
      attr("http_headers", secretLists(h.httpHeaders()));
    }
    if (h.basicAuth() != null) {
      open("basic_auth");
      attr("username", quote(h.basicAuth().username()));
      secretOrFile("password", h.basicAuth().password());
      close();
    }
    if (h.authorization() != null) {
      open("authorization");
      attr("type", quote(h.authorization().type()));
      secretOrFile("credentials", h.authorization().credentials());
      close();
    }
    if (h.oauth2() != null) {
      HttpClientConfig.OAuth2 o = h.oauth2();
      open("oauth2");
      attr("client_id", quote(o.clientId()));
      secretOrFile("client_secret", o.clientSecret());
      attr("scopes", list(o.scopes()));
      attr("token_url", quote(Redact.url(o.tokenUrl())));
      if (!o.endpointParams().isEmpty()) {
        attr("endpoint_params", secretValues(o.endpointParams()));
      }
      proxy(o.proxy());
      tls(o.tls());
      close();
    }
    if (!h.tls().equals(TlsConfig.defaults())) {
      tls(h.tls());
    }
  }

  private void proxy(ProxyConfig p) {
    if (p.proxyUrl() != null) {
      attr("proxy_url", quote(Redact.url(p.proxyUrl())));
    }
    if (p.noProxy() != null) {
      attr("no_proxy", quote(p.noProxy()));
    }
    if (p.fromEnvironment()) {
      attr("proxy_from_environment", "true");
    }
    if (!p.connectHeaders().isEmpty()) {
      attr("proxy_connect_header", secretLists(p.connectHeaders()));
    }
  }

  private void tls(TlsConfig t) {
    open("tls_config");
    certificate("ca", t.ca());
    certificate("cert", t.cert());
    source("key_pem", "key_file", t.key(), SECRET);
    if (t.serverName() != null) {
      attr("server_name", quote(t.serverName()));
    }
    attr("insecure_skip_verify", Boolean.toString(t.insecureSkipVerify()));
    attr("min_version", quote(t.minVersion()));
    close();
  }

  private void secretOrFile(String name, SecretSource secret) {
    source(name, name + "_file", secret, SECRET);
  }

  /** A PEM certificate is not secret, but long: its length stands for it. */
  private void certificate(String name, SecretSource pem) {
    String shown =
        pem instanceof SecretSource.Inline i
            ? quote("(" + i.secret().reveal().length() + " characters of PEM)")
            : null;
    source(name + "_pem", name + "_file", pem, shown);
  }

  private void source(String inlineName, String fileName, SecretSource source, String shownInline) {
    if (source instanceof SecretSource.Inline) {
      attr(inlineName, shownInline);
    } else if (source != null) {
      attr(fileName, quote(source.file().toString()));
    }
  }

  private void open(String header) {
    indent();
    out.append(header).append(" {\n");
    depth++;
  }

  private void close() {
    depth--;
    indent();
    out.append("}\n");
  }

  private void attr(String name, String value) {
    indent();
    out.append(name).append(" = ").append(value).append('\n');
  }

  private void indent() {
    out.append("  ".repeat(depth));
  }

  private static String map(Map<String, String> m, boolean headers) {
    List<String> fields = new ArrayList<>();
    m.forEach(
        (k, v) ->
            fields.add(
                quote(k) + " = " + (headers && Redact.credentialHeader(k) ? SECRET : quote(v))));
    return "{ " + String.join(", ", fields) + " }";
  }

  /** A map whose values may all carry credentials: only its names are shown. */
  /** A map of secret lists, such as headers: the keys, and each value as secret. */
  private static String secretLists(Map<String, ? extends List<?>> m) {
    List<String> fields = new ArrayList<>();
    m.forEach(
        (k, v) ->
            fields.add(
                quote(k) + " = [" + String.join(", ", v.stream().map(x -> SECRET).toList()) + "]"));
    return "{ " + String.join(", ", fields) + " }";
  }

  private static String secretValues(Map<String, String> m) {
    List<String> fields = new ArrayList<>();
    m.forEach((k, v) -> fields.add(quote(k) + " = " + SECRET));
    return "{ " + String.join(", ", fields) + " }";
  }

  /**
   * kafka-clients properties, those Kafka treats as passwords shown as secret (as Kafka logs them
   * hidden).
   */
  private static String kafkaProperties(Map<String, String> m) {
    List<String> fields = new ArrayList<>();
    m.forEach(
        (k, v) ->
            fields.add(quote(k) + " = " + (KafkaSettings.secretProperty(k) ? SECRET : quote(v))));
    return "{ " + String.join(", ", fields) + " }";
  }

  private static String list(List<String> items) {
    return "[" + String.join(", ", items.stream().map(ConfigRenderer::quote).toList()) + "]";
  }

  private static String duration(Duration d) {
    if (d.isZero()) {
      return "\"0s\"";
    }
    StringBuilder s = new StringBuilder();
    long h = d.toHours();
    long m = d.toMinutesPart();
    long sec = d.toSecondsPart();
    long ms = d.toMillisPart();
    if (h > 0) {
      s.append(h).append('h');
    }
    if (m > 0) {
      s.append(m).append('m');
    }
    if (sec > 0) {
      s.append(sec).append('s');
    }
    if (ms > 0) {
      s.append(ms).append("ms");
    }
    return quote(s.length() == 0 ? d.toNanos() + "ns" : s.toString());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
