package io.pyrogate.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.pyrogate.config.syntax.AlloyParser;
import io.pyrogate.config.syntax.Attribute;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Body;
import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.DiagnosticPrinter;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.Evaluator;
import io.pyrogate.config.syntax.Position;
import io.pyrogate.config.syntax.ReferenceValue;
import io.pyrogate.config.syntax.Severity;
import io.pyrogate.config.syntax.Statement;

/**
 * Turns an Alloy file into a {@link GatewayConfig}: parse, evaluate, decode and validate, collecting every
 * problem with its file:line:col before anything starts.
 */
public final class ConfigLoader {
  /** Components pyrogate runs. */
  static final Set<String> COMPONENTS = Set.of("pyroscope.write", "pyroscope.receive_http", "pyroscope.receive_kafka");
  /**
   * Alloy components and configuration blocks pyrogate does not run: reported as warnings so a user's full
   * Alloy file still loads. Matched as exact names or, for namespaces ending in ".", as prefixes.
   */
  static final List<String> FOREIGN = List.of("logging", "tracing", "http", "livedebugging", "remotecfg", "foreach",
      "declare", "import.", "argument", "export", "pyroscope.scrape", "pyroscope.ebpf", "pyroscope.java",
      "pyroscope.relabel", "pyroscope.enrich", "discovery.", "prometheus.", "loki.", "otelcol.",
      "local.", "remote.", "faro.", "mimir.", "beyla.", "database_observability.", "module.", "otel.", "stage.");

  /**
   * The loaded configuration and its warnings.
   *
   * @param source the configuration's text with its secrets masked, for showing lines of it
   */
  public record Result(GatewayConfig config, Diagnostics diagnostics, String source) {
    /** Warnings rendered for humans; empty when there are none. */
    public String renderedWarnings() {
      return DiagnosticPrinter.renderAll(diagnostics.warnings(), f -> source);
    }
  }

  private ConfigLoader() {
  }

  /** What the configuration is loaded for. */
  public enum Mode {
    /** To run it: everything must be runnable. */
    RUN,
    /**
     * To check a whole Alloy file: parts that only Alloy can run (values from, and forwarding into,
     * components pyrogate does not run) are warnings.
     */
    VALIDATE
  }

  public static Result load(Path file, Function<String, String> environment) {
    return load(file, environment, Mode.RUN);
  }

  public static Result load(Path file, Function<String, String> environment, Mode mode) {
    String source;
    try {
      source = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage() + "\n", List.of());
    }
    return parse(file.toString(), source, environment, mode);
  }

  public static Result parse(String fileName, String source, Function<String, String> environment) {
    return parse(fileName, source, environment, Mode.RUN);
  }

  /**
   * @throws ConfigException listing every error, when there is any
   */
  public static Result parse(String fileName, String source, Function<String, String> environment, Mode mode) {
    Diagnostics syntax = new Diagnostics();
    Body body = AlloyParser.parse(fileName, source, syntax);
    // One syntax error per line: after a stray character the rest of the line is mostly noise.
    Diagnostics diags = new Diagnostics();
    Set<Integer> linesWithErrors = new HashSet<>();
    for (Diagnostic d : syntax.all()) {
      if (d.severity() != Severity.ERROR || linesWithErrors.add(d.position().line())) {
        diags.add(d);
      }
    }
    Evaluator evaluator = new Evaluator(name -> {
      String v = environment.apply(name);
      return v == null ? "" : v;
    }, hostname());
    Set<String> secrets = new HashSet<>();
    GatewayConfig config = new Decoder(new BlockReader.Context(evaluator, diags, mode == Mode.VALIDATE, secrets)).decode(body);
    List<Diagnostic> sorted = diags.all().stream().sorted(Comparator.comparing(Diagnostic::position)).toList();
    String shown = Redact.source(source, secrets);
    if (diags.hasErrors()) {
      throw new ConfigException(DiagnosticPrinter.renderAll(sorted, f -> shown), sorted);
    }
    Diagnostics ordered = new Diagnostics();
    sorted.forEach(ordered::add);
    return new Result(config, ordered, shown);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** One decoding pass; holds the evaluator and the diagnostics. */
  private static final class Decoder {
    private final BlockReader.Context ctx;
    private final Diagnostics diags;
    private final Map<String, Position> foreignComponents = new HashMap<>();

    Decoder(BlockReader.Context ctx) {
      this.ctx = ctx;
      this.diags = ctx.diags();
    }

    GatewayConfig decode(Body body) {
      KafkaSettings kafka = null;
      Position kafkaAt = null;
      List<WriteComponent> writes = new ArrayList<>();
      List<Position> writePositions = new ArrayList<>();
      List<ReceiveHttpComponent> receivers = new ArrayList<>();
      List<Forwarding> receiverForwarding = new ArrayList<>();
      List<ReceiveKafkaComponent> sources = new ArrayList<>();
      List<Forwarding> sourceForwarding = new ArrayList<>();
      Map<String, Position> labels = new HashMap<>();
      for (Statement s : body.statements()) {
        if (s instanceof Attribute a) {
          diags.error(a.position(), "unexpected attribute \"" + a.name() + "\" at the top level; only blocks belong here");
          continue;
        }
        Block b = (Block) s;
        String name = b.fullName();
        if (name.equals("kafka")) {
          if (b.label() != null) {
            diags.error(b.labelPosition(), "block \"kafka\" does not take a label");
          }
          if (kafka != null) {
            diags.error(b.position(), "block \"kafka\" may only be specified once (first at " + kafkaAt + ")");
            continue;
          }
          kafkaAt = b.position();
          kafka = kafka(b);
        } else if (COMPONENTS.contains(name)) {
          if (b.label() == null) {
            diags.error(b.position(), "component \"" + name + "\" needs a label, e.g. " + name + " \"default\" { ... }");
            continue;
          }
          if (!isIdentifier(b.label())) {
            diags.error(b.labelPosition(), "component label \"" + b.label()
                + "\" must be a valid identifier (letters, digits and _; not starting with a digit)");
            continue;
          }
          String id = name + "." + b.label();
          Position first = labels.putIfAbsent(id, b.position());
          if (first != null) {
            diags.error(b.position(), "component " + name + " \"" + b.label() + "\" is already defined at " + first);
            continue;
          }
          if (name.equals("pyroscope.write")) {
            writes.add(write(b));
            writePositions.add(b.position());
          } else {
            String what = name + " \"" + b.label() + "\"";
            BlockReader r = BlockReader.of(what, b, ctx);
            Forwarding forwarding = new Forwarding(what, b.position(), r.references("forward_to"));
            if (name.equals("pyroscope.receive_http")) {
              receivers.add(receiveHttp(b.label(), r));
              receiverForwarding.add(forwarding);
            } else {
              sources.add(receiveKafka(b.label(), r));
              sourceForwarding.add(forwarding);
            }
          }
        } else if (isForeign(name)) {
          diags.warning(b.position(), "pyrogate does not run \"" + name + "\"; the block is ignored");
          if (b.label() != null) {
            foreignComponents.put(name + "." + b.label(), b.position());
          }
        } else {
          diags.error(b.position(), "unknown component or block \"" + name + "\""
              + BlockReader.suggestion(name, List.of("kafka", "pyroscope.write", "pyroscope.receive_http", "pyroscope.receive_kafka")));
        }
      }
      Set<String> writeLabels = new HashSet<>();
      writes.forEach(w -> writeLabels.add(w.label()));
      for (int i = 0; i < receivers.size(); i++) {
        receivers.set(i, receivers.get(i).withForwardTo(resolveForwardTo(receiverForwarding.get(i), writeLabels)));
      }
      for (int i = 0; i < sources.size(); i++) {
        sources.set(i, sources.get(i).withForwardTo(resolveForwardTo(sourceForwarding.get(i), writeLabels)));
      }
      return new GatewayConfig(kafka == null ? KafkaSettings.defaults() : kafka, receivers, sources, writes);
    }

    private KafkaSettings kafka(Block b) {
      BlockReader r = BlockReader.of("kafka", b, ctx);
      KafkaSettings d = KafkaSettings.defaults();
      List<String> servers = r.stringList("bootstrap_servers").orElse(List.of());
      for (String server : servers) {
        if (!server.matches("[^:\\s]+:\\d{1,5}")) {
          diags.error(r.positionOf("bootstrap_servers").orElse(b.position()),
              "bootstrap_servers entry \"" + server + "\" must be HOST:PORT");
        }
      }
      String listen = r.string("embedded_listen_address").orElse(d.embeddedListenAddress());
      if (!listen.matches("[^\\s]+:\\d{1,5}") || Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)) > 65535) {
        diags.error(r.positionOf("embedded_listen_address").orElse(b.position()),
            "embedded_listen_address \"" + listen + "\" must be HOST:PORT");
        listen = d.embeddedListenAddress();
      }
      String prefix = r.string("topic_prefix").orElse(d.topicPrefix());
      if (!prefix.matches("[A-Za-z0-9._-]*")) {
        diags.error(r.positionOf("topic_prefix").orElse(b.position()),
            "topic_prefix \"" + prefix + "\" may contain only letters, digits, '.', '_' and '-'");
      }
      long partitions = r.number("partitions").orElse((long) d.partitions());
      if (partitions < 1 || partitions > 10_000) {
        diags.error(r.positionOf("partitions").orElse(b.position()), "partitions must be between 1 and 10000, got " + partitions);
      }
      long replication = r.number("replication_factor").orElse((long) d.replicationFactor());
      if (replication != -1 && (replication < 1 || replication > Short.MAX_VALUE)) {
        diags.error(r.positionOf("replication_factor").orElse(b.position()),
            "replication_factor must be -1 (the broker's default) or at least 1, got " + replication);
      }
      TlsConfig tls = r.block("tls_config")
          .map(t -> HttpClientDecoder.tls(BlockReader.of("kafka tls_config", t, ctx))).orElse(null);
      KafkaSettings.Sasl sasl = r.block("sasl").map(this::sasl).orElse(null);
      Map<String, String> producer = clientOverrides(r, "producer", org.apache.kafka.clients.producer.ProducerConfig.configNames());
      Map<String, String> consumer = clientOverrides(r, "consumer", org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
      r.finish();
      if (servers.isEmpty() && (tls != null || sasl != null)) {
        diags.error(b.position(), "tls_config and sasl secure the connection to your cluster; set bootstrap_servers "
            + "too (the embedded broker listens in plaintext on " + listen + ")");
      }
      return new KafkaSettings(servers, listen, prefix, (int) Math.max(1, Math.min(partitions, 10_000)),
          (short) Math.max(-1, Math.min(replication, Short.MAX_VALUE)), tls, sasl, producer, consumer);
    }

    private KafkaSettings.Sasl sasl(Block b) {
      BlockReader r = BlockReader.of("kafka sasl", b, ctx);
      String mechanism = r.string("mechanism").orElse("PLAIN");
      if (!KafkaSettings.SASL_MECHANISMS.contains(mechanism)) {
        diags.error(r.positionOf("mechanism").orElse(b.position()), "sasl mechanism \"" + mechanism
            + "\" is not supported; use one of " + String.join(", ", KafkaSettings.SASL_MECHANISMS));
      }
      String username = r.requiredString("username");
      if (r.has("password") && r.has("password_file")) {
        diags.error(r.positionOf("password_file").orElseThrow(), "at most one of sasl password & password_file must be configured");
      }
      if (!r.has("password") && !r.has("password_file")) {
        diags.error(b.position(), "kafka sasl needs password or password_file");
      }
      Secret password = r.secret("password").orElse(null);
      java.nio.file.Path file = r.path("password_file").orElse(null);
      r.finish();
      return new KafkaSettings.Sasl(mechanism, username == null ? "" : username, password, file);
    }

    /** producer/consumer property maps: known kafka-clients keys only, never the pinned ones. */
    private Map<String, String> clientOverrides(BlockReader r, String name, Set<String> known) {
      Map<String, String> values = r.stringMap(name).orElse(Map.of());
      Position at = r.positionOf(name).orElse(r.position());
      Map<String, String> accepted = new java.util.LinkedHashMap<>();
      values.forEach((key, value) -> {
        if (KafkaSettings.secretProperty(key)) {
          r.secretValue(value);
        }
        if (KafkaSettings.PINNED.contains(key)) {
          diags.error(at, "kafka " + name + " property \"" + key + "\" cannot be overridden: pyrogate sets it to keep its "
              + "delivery guarantees (or from another argument)");
        } else if (!known.contains(key)) {
          diags.error(at, "kafka " + name + " property \"" + key + "\" is not a kafka-clients " + name + " setting"
              + BlockReader.suggestion(key, known));
        } else {
          accepted.put(key, value);
        }
      });
      return accepted;
    }

    private WriteComponent write(Block b) {
      String what = "pyroscope.write \"" + b.label() + "\"";
      BlockReader r = BlockReader.of(what, b, ctx);
      Map<String, String> externalLabels = r.stringMap("external_labels").orElse(Map.of());
      r.block("tracing").ifPresent(t -> {
        // Undocumented in Alloy; trace propagation does not apply to pyrogate, so it is read and ignored.
        BlockReader tr = BlockReader.of(what + " tracing", t, ctx);
        tr.bool("jaeger_propagator");
        tr.bool("trace_context_propagator");
        tr.finish();
      });
      List<Endpoint> endpoints = new ArrayList<>();
      Map<String, Position> names = new HashMap<>();
      Map<String, Integer> generated = new HashMap<>();
      for (Block e : r.blocks("endpoint")) {
        Endpoint endpoint = endpoint(what, e, generated);
        if (endpoint == null) {
          continue;
        }
        Position first = names.putIfAbsent(endpoint.name(), e.position());
        if (first != null) {
          diags.error(e.position(), "endpoint name \"" + endpoint.name() + "\" is already used in " + what + " at " + first
              + "; give each endpoint a distinct name");
          continue;
        }
        endpoints.add(endpoint);
      }
      r.finish();
      return new WriteComponent(b.label(), endpoints, externalLabels);
    }

    private Endpoint endpoint(String parent, Block b, Map<String, Integer> generated) {
      BlockReader r = BlockReader.of(parent + " endpoint", b, ctx);
      String url = r.requiredString("url");
      URI uri = null;
      if (url != null) {
        uri = parseUrl(url, r.positionOf("url").orElse(b.position()));
      }
      String name = r.string("name").filter(s -> !s.isEmpty()).orElse(null);
      if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
        diags.error(r.positionOf("name").orElse(b.position()),
            "endpoint name \"" + name + "\" may contain only letters, digits, '.', '_' and '-' (it names a Kafka consumer group)");
      }
      Duration timeout = positive(r, "remote_timeout", Endpoint.DEFAULT_REMOTE_TIMEOUT);
      Map<String, String> headers = r.stringMap("headers").orElse(Map.of());
      headers.forEach((header, value) -> {
        if (Redact.credentialHeader(header)) {
          r.secretValue(value);
        }
      });
      Duration minBackoff = positive(r, "min_backoff_period", Endpoint.DEFAULT_MIN_BACKOFF);
      Duration maxBackoff = positive(r, "max_backoff_period", Endpoint.DEFAULT_MAX_BACKOFF);
      if (maxBackoff.compareTo(minBackoff) < 0) {
        diags.error(r.positionOf("max_backoff_period").orElse(b.position()),
            "max_backoff_period (" + maxBackoff + ") must not be less than min_backoff_period (" + minBackoff + ")");
      }
      long retries = r.number("max_backoff_retries").orElse((long) Endpoint.DEFAULT_MAX_BACKOFF_RETRIES);
      if (retries < 0 || retries > Integer.MAX_VALUE) {
        diags.error(r.positionOf("max_backoff_retries").orElse(b.position()),
            "max_backoff_retries must be 0 (retry forever) or more, got " + retries);
      }
      boolean retry429 = r.bool("retry_on_http_429").orElse(true);
      HttpClientConfig http = HttpClientDecoder.read(r);
      // Alloy accepts these; they only concern debug-info uploads and tracing, which pyrogate does not do.
      r.duration("debug_info_upload_timeout");
      r.finish();
      if (uri == null) {
        return null;
      }
      if (name == null) {
        name = generatedName(uri, generated);
      }
      return new Endpoint(name, uri, timeout, headers, minBackoff, maxBackoff,
          (int) Math.max(0, Math.min(retries, Integer.MAX_VALUE)), retry429, http);
    }

    private ReceiveHttpComponent receiveHttp(String label, BlockReader r) {
      ReceiveHttpComponent.HttpServerConfig d = ReceiveHttpComponent.HttpServerConfig.defaults();
      ReceiveHttpComponent.HttpServerConfig server = d;
      var http = r.block("http");
      if (http.isPresent()) {
        BlockReader h = BlockReader.of("pyroscope.receive_http \"" + label + "\" http", http.get(), ctx);
        String address = h.string("listen_address").filter(s -> !s.isEmpty()).orElse(d.listenAddress());
        long port = h.number("listen_port").orElse((long) d.listenPort());
        if (port < 0 || port > 65535) {
          diags.error(h.positionOf("listen_port").orElse(http.get().position()), "listen_port must be within 0-65535, got " + port);
          port = d.listenPort();
        }
        long connLimit = h.number("conn_limit").orElse((long) d.connLimit());
        if (connLimit < 1 || connLimit > Integer.MAX_VALUE) {
          diags.error(h.positionOf("conn_limit").orElse(http.get().position()), "conn_limit must be at least 1, got " + connLimit);
          connLimit = d.connLimit();
        }
        server = new ReceiveHttpComponent.HttpServerConfig(address, (int) port, (int) connLimit,
            positive(h, "server_read_timeout", d.readTimeout()), positive(h, "server_write_timeout", d.writeTimeout()),
            positive(h, "server_idle_timeout", d.idleTimeout()));
        h.finish();
      }
      r.finish();
      return new ReceiveHttpComponent(label, server, List.of());
    }

    /** The forward_to of a receiving component, resolved once every write component is known. */
    private record Forwarding(String what, Position at, List<ReferenceValue> targets) {
    }

    /** forward_to must name the receiver of a pyroscope.write defined here; anything else would lose data. */
    private List<String> resolveForwardTo(Forwarding forwarding, Set<String> writeLabels) {
      List<String> labels = new ArrayList<>();
      String what = forwarding.what();
      for (ReferenceValue ref : forwarding.targets()) {
        String path = ref.path();
        if (path.startsWith("pyroscope.write.") && path.endsWith(".receiver")) {
          String label = path.substring("pyroscope.write.".length(), path.length() - ".receiver".length());
          if (writeLabels.contains(label)) {
            if (!labels.contains(label)) {
              labels.add(label);
            }
            continue;
          }
          diags.error(ref.position(), "forward_to of " + what + " names pyroscope.write \"" + label
              + "\", which is not defined" + BlockReader.suggestion(label, writeLabels));
          continue;
        }
        String component = componentOf(path);
        if (component != null && foreignComponents.containsKey(component)) {
          String message = "forward_to of " + what + " names " + path
              + ", but pyrogate does not run " + component + ": its profiles would go nowhere; forward to a pyroscope.write receiver";
          if (ctx.validateOnly()) {
            diags.warning(ref.position(), message + " (pyrogate run refuses this)");
          } else {
            diags.error(ref.position(), message);
          }
        } else {
          diags.error(ref.position(), "forward_to of " + what + " names " + path
              + ", which is not the receiver of a pyroscope.write component defined in this file");
        }
      }
      if (forwarding.targets().isEmpty()) {
        diags.warning(forwarding.at(), what + " has an empty forward_to: it stores nothing");
      }
      return labels;
    }

    private ReceiveKafkaComponent receiveKafka(String label, BlockReader r) {
      List<String> brokers = r.stringList("brokers").orElse(List.of());
      if (!r.has("brokers") || brokers.isEmpty()) {
        diags.error(r.positionOf("brokers").orElse(r.position()), "pyroscope.receive_kafka \"" + label
            + "\" needs brokers, e.g. brokers = [\"kafka:9092\"]");
      }
      brokers.stream().filter(b -> !b.matches("[^:\\s]+:\\d{1,5}")).forEach(b -> diags.error(
          r.positionOf("brokers").orElse(r.position()), "brokers entry \"" + b + "\" must be HOST:PORT"));
      List<String> topics = r.stringList("topics").orElse(List.of());
      if (!r.has("topics") || topics.isEmpty()) {
        diags.error(r.positionOf("topics").orElse(r.position()), "pyroscope.receive_kafka \"" + label
            + "\" needs topics, e.g. topics = [\"profiles\"]");
      }
      String groupId = r.string("group_id").filter(s -> !s.isEmpty()).orElse(ReceiveKafkaComponent.defaultGroupId(label));
      TlsConfig tls = null;
      KafkaSettings.Sasl sasl = null;
      var auth = r.block("authentication");
      if (auth.isPresent()) {
        BlockReader a = BlockReader.of("pyroscope.receive_kafka \"" + label + "\" authentication", auth.get(), ctx);
        String type = a.string("type").orElse("none");
        var tlsBlock = a.block("tls_config");
        var saslBlock = a.block("sasl_config");
        switch (type) {
          case "none" -> { }
          case "ssl" -> tls = tlsBlock.map(t -> HttpClientDecoder.tls(BlockReader.of(a.what() + " tls_config", t, ctx)))
              .orElse(TlsConfig.defaults());
          case "sasl" -> {
            if (saslBlock.isEmpty()) {
              diags.error(auth.get().position(), "authentication type \"sasl\" needs a sasl_config block");
            } else {
              BlockReader sc = BlockReader.of(a.what() + " sasl_config", saslBlock.get(), ctx);
              String mechanism = sc.string("mechanism").orElse("PLAIN");
              if (!KafkaSettings.SASL_MECHANISMS.contains(mechanism)) {
                diags.error(sc.positionOf("mechanism").orElse(saslBlock.get().position()), "sasl mechanism \"" + mechanism
                    + "\" is not supported; use one of " + String.join(", ", KafkaSettings.SASL_MECHANISMS));
              }
              String user = sc.requiredString("user");
              Secret password = sc.secret("password").orElse(null);
              if (password == null && !sc.has("password")) {
                diags.error(saslBlock.get().position(), "missing required attribute \"password\" in " + sc.what());
              }
              boolean useTls = sc.bool("use_tls").orElse(false);
              var saslTls = sc.block("tls_config");
              if (useTls) {
                tls = saslTls.map(t -> HttpClientDecoder.tls(BlockReader.of(sc.what() + " tls_config", t, ctx)))
                    .orElse(TlsConfig.defaults());
              }
              sc.finish();
              sasl = new KafkaSettings.Sasl(mechanism, user == null ? "" : user, password, null);
            }
          }
          default -> diags.error(a.positionOf("type").orElse(auth.get().position()),
              "authentication type \"" + type + "\" is not one of \"none\", \"sasl\", \"ssl\"");
        }
        a.finish();
      }
      r.finish();
      return new ReceiveKafkaComponent(label, brokers, topics, groupId, tls, sasl, List.of());
    }

    private String componentOf(String path) {
      for (String c : foreignComponents.keySet()) {
        if (path.startsWith(c + ".") || path.equals(c)) {
          return c;
        }
      }
      return null;
    }

    private Duration positive(BlockReader r, String name, Duration fallback) {
      Duration d = r.duration(name).orElse(fallback);
      if (d.isNegative() || d.isZero()) {
        diags.error(r.positionOf(name).orElse(r.position()), name + " must be positive, got " + d);
        return fallback;
      }
      return d;
    }

    private URI parseUrl(String url, Position at) {
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
          diags.error(at, "url \"" + Redact.url(url) + "\" must not have a query or fragment; pyrogate appends the API path");
          return null;
        }
        return uri;
      } catch (URISyntaxException e) {
        String hint = url.contains("${") ? "; it looks like a template placeholder that was never filled in" : "";
        diags.error(at, "url \"" + Redact.url(url) + "\" is not a valid URL (" + e.getReason().toLowerCase(java.util.Locale.ROOT)
            + " at index " + e.getIndex() + ")" + hint);
        return null;
      }
    }

    /** A name from the URL, so it stays the same when endpoints are reordered: host_port[_path][-n]. */
    private static String generatedName(URI uri, Map<String, Integer> generated) {
      String base = (uri.getHost() + (uri.getPort() > 0 ? "_" + uri.getPort() : "")
          + (uri.getPath() == null ? "" : uri.getPath())).replaceAll("[^A-Za-z0-9.]+", "_").replaceAll("_+$", "");
      int n = generated.merge(base, 1, Integer::sum);
      return n == 1 ? base : base + "-" + n;
    }

    private static boolean isForeign(String name) {
      for (String f : FOREIGN) {
        if (f.endsWith(".") ? name.startsWith(f) : name.equals(f)) {
          return true;
        }
      }
      return false;
    }

    private static boolean isIdentifier(String s) {
      return s.matches("[\\p{L}_][\\p{L}\\p{N}_]*");
    }
  }
}
