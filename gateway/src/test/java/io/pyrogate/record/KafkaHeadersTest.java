package io.pyrogate.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaHeadersTest {
  @Test
  void theLastHeaderOfANameWinsAsUtf8Text() {
    Headers h = new RecordHeaders();
    KafkaHeaders.add(h, KafkaHeaders.TENANT, "first");
    KafkaHeaders.add(h, KafkaHeaders.TENANT, "ünïcode");
    assertThat(KafkaHeaders.lastString(h, KafkaHeaders.TENANT)).isEqualTo("ünïcode");
    assertThat(h.lastHeader(KafkaHeaders.TENANT).value())
        .isEqualTo("ünïcode".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAbsentHeaderOrOneWithoutValueIsNull() {
    Headers h = new RecordHeaders();
    h.add(KafkaHeaders.QUERY, null);
    assertThat(KafkaHeaders.lastString(h, KafkaHeaders.QUERY)).isNull();
    assertThat(KafkaHeaders.lastString(h, KafkaHeaders.KIND)).isNull();
  }

  @Test
  void replaceLeavesOneHeaderOfTheName() {
    Headers h = new RecordHeaders();
    KafkaHeaders.add(h, KafkaHeaders.DLQ_REASON, "old");
    KafkaHeaders.add(h, KafkaHeaders.DLQ_REASON, "older");
    KafkaHeaders.replace(h, KafkaHeaders.DLQ_REASON, "new");
    assertThat(h.headers(KafkaHeaders.DLQ_REASON)).hasSize(1);
    assertThat(KafkaHeaders.lastString(h, KafkaHeaders.DLQ_REASON)).isEqualTo("new");
  }

  @Test
  void deadLetterHeadersShareThePrefixReplayStripsAndTheReplayHeaderDoesNot() {
    assertThat(
            List.of(
                KafkaHeaders.DLQ_ENDPOINT,
                KafkaHeaders.DLQ_REASON,
                KafkaHeaders.DLQ_STATUS,
                KafkaHeaders.DLQ_ATTEMPTS,
                KafkaHeaders.DLQ_FIRST_ATTEMPT,
                KafkaHeaders.DLQ_LAST_ATTEMPT,
                KafkaHeaders.DLQ_SOURCE))
        .allMatch(name -> name.startsWith(KafkaHeaders.DLQ_PREFIX));
    assertThat(KafkaHeaders.REPLAY_ENDPOINT).doesNotStartWith(KafkaHeaders.DLQ_PREFIX);
  }
}
