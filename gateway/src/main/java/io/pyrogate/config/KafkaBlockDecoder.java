package io.pyrogate.config;

import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.Position;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Decodes the top-level {@code kafka} block: the cluster (or the embedded broker), topics, the
 * connection's TLS and SASL, and the kafka-clients overrides, refusing the {@linkplain
 * KafkaSettings#PINNED pinned} keys.
 */
final class KafkaBlockDecoder {
  /** A broker address. */
  static final String HOST_PORT = "[^:\\s]+:\\d{1,5}";

  private KafkaBlockDecoder() {}

  /** The top-level {@code kafka} block. */
  static KafkaSettings read(Block b, BlockReader.Context ctx) {
    Diagnostics diags = ctx.diags();
    BlockReader r = BlockReader.of("kafka", b, ctx);
    KafkaSettings d = KafkaSettings.defaults();
    List<String> servers = r.stringList("bootstrap_servers").orElse(List.of());
    for (String server : servers) {
      if (!server.matches(HOST_PORT)) {
        diags.error(
            r.positionOf("bootstrap_servers").orElse(b.position()),
            "bootstrap_servers entry \"" + server + "\" must be HOST:PORT");
      }
    }
    String listen = r.string("embedded_listen_address").orElse(d.embeddedListenAddress());
    if (!listen.matches("[^\\s]+:\\d{1,5}")
        || Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)) > 65535) {
      diags.error(
          r.positionOf("embedded_listen_address").orElse(b.position()),
          "embedded_listen_address \"" + listen + "\" must be HOST:PORT");
      listen = d.embeddedListenAddress();
    }
    String prefix = r.string("topic_prefix").orElse(d.topicPrefix());
    if (!prefix.matches("[A-Za-z0-9._-]*")) {
      diags.error(
          r.positionOf("topic_prefix").orElse(b.position()),
          "topic_prefix \"" + prefix + "\" may contain only letters, digits, '.', '_' and '-'");
    }
    long partitions = r.number("partitions").orElse((long) d.partitions());
    if (partitions < 1 || partitions > 10_000) {
      diags.error(
          r.positionOf("partitions").orElse(b.position()),
          "partitions must be between 1 and 10000, got " + partitions);
    }
    long replication = r.number("replication_factor").orElse((long) d.replicationFactor());
    if (replication != -1 && (replication < 1 || replication > Short.MAX_VALUE)) {
      diags.error(
          r.positionOf("replication_factor").orElse(b.position()),
          "replication_factor must be -1 (the broker's default) or at least 1, got " + replication);
    }
    TlsConfig tls =
        r.block("tls_config")
            .map(t -> HttpClientDecoder.tls(BlockReader.of("kafka tls_config", t, ctx)))
            .orElse(null);
    KafkaSettings.Sasl sasl = r.block("sasl").map(s -> sasl(s, ctx)).orElse(null);
    Map<String, String> producer = clientOverrides(r, "producer", ProducerConfig.configNames());
    Map<String, String> consumer = clientOverrides(r, "consumer", ConsumerConfig.configNames());
    r.finish();
    if (servers.isEmpty() && (tls != null || sasl != null)) {
      diags.error(
          b.position(),
          "tls_config and sasl secure the connection to your cluster; set bootstrap_servers "
              + "too (the embedded broker listens in plaintext on "
              + listen
              + ")");
    }
    return new KafkaSettings(
        servers,
        listen,
        prefix,
        (int) Math.max(1, Math.min(partitions, 10_000)),
        (short) Math.max(-1, Math.min(replication, Short.MAX_VALUE)),
        tls,
        sasl,
        producer,
        consumer);
  }

  private static KafkaSettings.Sasl sasl(Block b, BlockReader.Context ctx) {
    Diagnostics diags = ctx.diags();
    BlockReader r = BlockReader.of("kafka sasl", b, ctx);
    String mechanism = mechanism(r);
    String username = r.requiredString("username");
    if (r.has("password") && r.has("password_file")) {
      diags.error(
          r.positionOf("password_file").orElseThrow(),
          "at most one of sasl password & password_file must be configured");
    }
    if (!r.has("password") && !r.has("password_file")) {
      diags.error(b.position(), "kafka sasl needs password or password_file");
    }
    SecretSource password = r.secretSource("password", "password_file");
    r.finish();
    return new KafkaSettings.Sasl(mechanism, username == null ? "" : username, password);
  }

  /** producer/consumer property maps: known kafka-clients keys only, never the pinned ones. */
  private static Map<String, String> clientOverrides(
      BlockReader r, String name, Set<String> known) {
    Diagnostics diags = r.diagnostics();
    Map<String, String> values = r.stringMap(name).orElse(Map.of());
    Position at = r.positionOf(name).orElse(r.position());
    Map<String, String> accepted = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          if (KafkaSettings.secretProperty(key)) {
            r.secretValue(value);
          }
          if (KafkaSettings.PINNED.contains(key)) {
            diags.error(
                at,
                "kafka "
                    + name
                    + " property \""
                    + key
                    + "\" cannot be overridden: pyrogate sets it to keep its "
                    + "delivery guarantees (or from another argument)");
          } else if (!known.contains(key)) {
            diags.error(
                at,
                "kafka "
                    + name
                    + " property \""
                    + key
                    + "\" is not a kafka-clients "
                    + name
                    + " setting"
                    + Suggestions.didYouMean(key, known));
          } else {
            accepted.put(key, value);
          }
        });
    return accepted;
  }

  /** A SASL {@code mechanism}, PLAIN when absent; an unsupported one is reported. */
  static String mechanism(BlockReader r) {
    String mechanism = r.string("mechanism").orElse("PLAIN");
    if (!KafkaSettings.SASL_MECHANISMS.contains(mechanism)) {
      r.diagnostics()
          .error(
              r.positionOf("mechanism").orElse(r.position()),
              "sasl mechanism \""
                  + mechanism
                  + "\" is not supported; use one of "
                  + String.join(", ", KafkaSettings.SASL_MECHANISMS));
    }
    return mechanism;
  }
}
