package io.pyrogate.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.Secret;
import io.pyrogate.config.SecretSource;
import io.pyrogate.config.TlsConfig;
import io.pyrogate.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  @Test
  void plaintextByDefaultWithTunedAndPinnedSettings() {
    KafkaClients clients =
        new KafkaClients(
            new KafkaSettings(
                List.of("k1:9092", "k2:9092"),
                "x:1",
                "p.",
                1,
                (short) 1,
                null,
                null,
                Map.of("linger.ms", "25"),
                Map.of("max.poll.records", "10")));
    assertThat(clients.producer())
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "25")
        .doesNotContainKey("security.protocol");
    assertThat(clients.consumer("g"))
        .containsEntry("group.id", "g")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("max.poll.records", "10");
  }

  @Test
  void tlsAndSaslBecomeKafkaSecurityProperties() throws Exception {
    Path ca = TestGateways.tempDir().resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    TlsConfig tls = new TlsConfig(SecretSource.file(ca), null, null, null, false, "TLS13");
    KafkaSettings.Sasl sasl =
        new KafkaSettings.Sasl("SCRAM-SHA-512", "svc", SecretSource.inline(new Secret("pa\"ss")));
    Map<String, Object> c =
        new KafkaClients(
                new KafkaSettings(
                    List.of("k:9093"), "x:1", "p.", 1, (short) 1, tls, sasl, Map.of(), Map.of()))
            .admin();
    assertThat(c)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", Files.readString(ca))
        .containsEntry("ssl.enabled.protocols", "TLSv1.3")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"pa\\\"ss\";");
  }
}
