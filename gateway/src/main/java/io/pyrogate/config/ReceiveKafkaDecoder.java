package io.pyrogate.config;

import io.pyrogate.config.syntax.Diagnostics;
import java.util.List;

/**
 * Decodes a {@code pyroscope.receive_kafka} component: brokers, topics, group and its {@code
 * authentication} (none, ssl, or sasl with optional TLS), as Alloy names them.
 */
final class ReceiveKafkaDecoder {
  private ReceiveKafkaDecoder() {}

  /** A {@code pyroscope.receive_kafka} component but its forward_to, read by the caller. */
  static ReceiveKafkaComponent read(String label, BlockReader r) {
    BlockReader.Context ctx = r.context();
    Diagnostics diags = r.diagnostics();
    List<String> brokers = r.stringList("brokers").orElse(List.of());
    if (!r.has("brokers") || brokers.isEmpty()) {
      diags.error(
          r.positionOf("brokers").orElse(r.position()),
          "pyroscope.receive_kafka \""
              + label
              + "\" needs brokers, e.g. brokers = [\"kafka:9092\"]");
    }
    brokers.stream()
        .filter(b -> !b.matches(KafkaBlockDecoder.HOST_PORT))
        .forEach(
            b ->
                diags.error(
                    r.positionOf("brokers").orElse(r.position()),
                    "brokers entry \"" + b + "\" must be HOST:PORT"));
    List<String> topics = r.stringList("topics").orElse(List.of());
    if (!r.has("topics") || topics.isEmpty()) {
      diags.error(
          r.positionOf("topics").orElse(r.position()),
          "pyroscope.receive_kafka \"" + label + "\" needs topics, e.g. topics = [\"profiles\"]");
    }
    String groupId =
        r.string("group_id")
            .filter(s -> !s.isEmpty())
            .orElse(ReceiveKafkaComponent.defaultGroupId(label));
    TlsConfig tls = null;
    KafkaSettings.Sasl sasl = null;
    var auth = r.block("authentication");
    if (auth.isPresent()) {
      BlockReader a =
          BlockReader.of(
              "pyroscope.receive_kafka \"" + label + "\" authentication", auth.get(), ctx);
      String type = a.string("type").orElse("none");
      var tlsBlock = a.block("tls_config");
      var saslBlock = a.block("sasl_config");
      switch (type) {
        case "none" -> {}
        case "ssl" ->
            tls =
                tlsBlock
                    .map(
                        t ->
                            HttpClientDecoder.tls(BlockReader.of(a.what() + " tls_config", t, ctx)))
                    .orElse(TlsConfig.defaults());
        case "sasl" -> {
          if (saslBlock.isEmpty()) {
            diags.error(
                auth.get().position(), "authentication type \"sasl\" needs a sasl_config block");
          } else {
            BlockReader sc = BlockReader.of(a.what() + " sasl_config", saslBlock.get(), ctx);
            String mechanism = KafkaBlockDecoder.mechanism(sc);
            String user = sc.requiredString("user");
            Secret password = sc.secret("password").orElse(null);
            if (password == null && !sc.has("password")) {
              diags.error(
                  saslBlock.get().position(),
                  "missing required attribute \"password\" in " + sc.what());
            }
            boolean useTls = sc.bool("use_tls").orElse(false);
            var saslTls = sc.block("tls_config");
            if (useTls) {
              tls =
                  saslTls
                      .map(
                          t ->
                              HttpClientDecoder.tls(
                                  BlockReader.of(sc.what() + " tls_config", t, ctx)))
                      .orElse(TlsConfig.defaults());
            }
            sc.finish();
            sasl =
                new KafkaSettings.Sasl(
                    mechanism,
                    user == null ? "" : user,
                    password == null ? null : SecretSource.inline(password));
          }
        }
        default ->
            diags.error(
                a.positionOf("type").orElse(auth.get().position()),
                "authentication type \"" + type + "\" is not one of \"none\", \"sasl\", \"ssl\"");
      }
      a.finish();
    }
    r.finish();
    return new ReceiveKafkaComponent(label, brokers, topics, groupId, tls, sasl, List.of());
  }
}
