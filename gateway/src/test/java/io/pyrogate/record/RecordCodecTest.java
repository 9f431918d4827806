package io.pyrogate.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

  @Test
  void roundTripsEveryField() {
    ProfileRecord ingest =
        new ProfileRecord(
            ProfileRecord.Kind.INGEST,
            "squad-1",
            "multipart/form-data; boundary=x",
            null,
            "name=app.cpu%7Benv%3Dprod%7D&format=jfr",
            1_700_000_000_123L,
            new byte[] {1, 2, 3});
    ProducerRecord<String, byte[]> produced =
        RecordCodec.toKafka("t", RecordCodec.key("squad-1", "app"), ingest);

    assertThat(produced.key()).isEqualTo("squad-1/app");
    assertThat(
            new String(
                produced.headers().lastHeader(KafkaHeaders.VERSION).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1");
    ProfileRecord read = RecordCodec.fromKafka(consumed(produced.value(), produced.headers(), 0));
    assertThat(read).usingRecursiveComparison().isEqualTo(ingest);
  }

  @Test
  void aRecordWithoutHeadersIsAPlainPushRequestWithoutTenant() {
    ProfileRecord read =
        RecordCodec.fromKafka(consumed(new byte[] {10, 0}, new RecordHeaders(), 42L));
    assertThat(read.kind()).isEqualTo(ProfileRecord.Kind.PUSH);
    assertThat(read.contentType()).isEqualTo("application/proto");
    assertThat(read.tenant()).isNull();
    assertThat(read.receivedAtMillis()).isEqualTo(42L);
  }

  @Test
  void refusesRecordsItCannotDeliver() {
    RecordHeaders future = new RecordHeaders();
    future.add(KafkaHeaders.VERSION, "2".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RecordCodec.fromKafka(consumed(new byte[] {1}, future, 0)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("unsupported pyrogate-record-version \"2\"");

    RecordHeaders unknownKind = new RecordHeaders();
    unknownKind.add(KafkaHeaders.KIND, "otlp".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RecordCodec.fromKafka(consumed(new byte[] {1}, unknownKind, 0)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("unknown pyrogate-kind \"otlp\"");

    assertThatThrownBy(() -> RecordCodec.fromKafka(consumed(new byte[0], new RecordHeaders(), 0)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("empty record value");
  }

  @Test
  void refusesTenantOrContentTypeThatCannotBeAnHttpHeader() {
    RecordHeaders tenant = new RecordHeaders();
    tenant.add(KafkaHeaders.TENANT, "squad\r\nX-Evil: 1".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RecordCodec.fromKafka(consumed(new byte[] {1}, tenant, 0)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining(KafkaHeaders.TENANT);

    RecordHeaders contentType = new RecordHeaders();
    contentType.add(
        KafkaHeaders.CONTENT_TYPE, "application/proto\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RecordCodec.fromKafka(consumed(new byte[] {1}, contentType, 0)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining(KafkaHeaders.CONTENT_TYPE);

    RecordHeaders fine = new RecordHeaders();
    fine.add(KafkaHeaders.TENANT, "squad-1".getBytes(StandardCharsets.UTF_8));
    fine.add(
        KafkaHeaders.CONTENT_TYPE,
        "multipart/form-data;\tboundary=x".getBytes(StandardCharsets.UTF_8));
    assertThat(RecordCodec.fromKafka(consumed(new byte[] {1}, fine, 0)).tenant())
        .isEqualTo("squad-1");
  }

  private static ConsumerRecord<String, byte[]> consumed(
      byte[] value, org.apache.kafka.common.header.Headers headers, long ts) {
    return new ConsumerRecord<>(
        "t",
        0,
        0L,
        ts,
        TimestampType.CREATE_TIME,
        0,
        value.length,
        "k",
        value,
        headers,
        java.util.Optional.empty());
  }
}
