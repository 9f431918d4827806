package io.pyrogate.record;

import static io.pyrogate.record.KafkaHeaders.CONTENT_ENCODING;
import static io.pyrogate.record.KafkaHeaders.CONTENT_TYPE;
import static io.pyrogate.record.KafkaHeaders.KIND;
import static io.pyrogate.record.KafkaHeaders.QUERY;
import static io.pyrogate.record.KafkaHeaders.RECEIVED_AT;
import static io.pyrogate.record.KafkaHeaders.TENANT;
import static io.pyrogate.record.KafkaHeaders.VERSION;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Maps {@link ProfileRecord} to and from Kafka records, as specified in schemas/kafka-record.md;
 * the header names are {@link KafkaHeaders}'.
 */
public final class RecordCodec {
  public static final String CURRENT_VERSION = "1";
  public static final String CONTENT_TYPE_PROTO = "application/proto";

  private RecordCodec() {}

  /**
   * The record key spreads tenants and services over partitions while keeping one series in order.
   *
   * @param serviceName the request's service_name label, or "" when it has none
   */
  public static String key(String tenant, String serviceName) {
    return (tenant == null ? "" : tenant) + "/" + serviceName;
  }

  public static ProducerRecord<String, byte[]> toKafka(String topic, String key, ProfileRecord r) {
    Headers h = new RecordHeaders();
    put(h, VERSION, CURRENT_VERSION);
    put(h, KIND, r.kind().wire());
    put(h, CONTENT_TYPE, r.contentType());
    put(h, CONTENT_ENCODING, r.contentEncoding());
    put(h, TENANT, r.tenant());
    put(h, QUERY, r.query());
    put(h, RECEIVED_AT, Long.toString(r.receivedAtMillis()));
    return new ProducerRecord<>(topic, null, r.receivedAtMillis(), key, r.payload(), h);
  }

  /**
   * Reads a record written by pyrogate or by a user's producer. A record without headers is a plain
   * serialized PushRequest.
   *
   * @throws RecordFormatException when the record cannot be delivered as it is
   */
  public static ProfileRecord fromKafka(ConsumerRecord<String, byte[]> record) {
    Headers h = record.headers();
    String version = get(h, VERSION);
    if (version != null && !CURRENT_VERSION.equals(version)) {
      throw new RecordFormatException(
          "unsupported "
              + VERSION
              + " \""
              + version
              + "\" (this pyrogate reads "
              + CURRENT_VERSION
              + ")");
    }
    if (record.value() == null || record.value().length == 0) {
      throw new RecordFormatException("empty record value");
    }
    String kindHeader = get(h, KIND);
    ProfileRecord.Kind kind =
        kindHeader == null ? ProfileRecord.Kind.PUSH : ProfileRecord.Kind.fromWire(kindHeader);
    String contentType = get(h, CONTENT_TYPE);
    if (contentType == null) {
      if (kind == ProfileRecord.Kind.INGEST) {
        throw new RecordFormatException("ingest record without " + CONTENT_TYPE + " header");
      }
      contentType = CONTENT_TYPE_PROTO;
    }
    String receivedAt = get(h, RECEIVED_AT);
    long receivedAtMillis;
    try {
      receivedAtMillis = receivedAt == null ? record.timestamp() : Long.parseLong(receivedAt);
    } catch (NumberFormatException e) {
      throw new RecordFormatException("bad " + RECEIVED_AT + " \"" + receivedAt + "\"");
    }
    String tenant = get(h, TENANT);
    requireHeaderValue(TENANT, tenant);
    requireHeaderValue(CONTENT_TYPE, contentType);
    return new ProfileRecord(
        kind,
        tenant,
        contentType,
        get(h, CONTENT_ENCODING),
        get(h, QUERY),
        receivedAtMillis,
        record.value());
  }

  /**
   * A value that goes out as an HTTP header must be one: a control character (CR, LF...) or a
   * character beyond Latin-1 would make the request fail locally on every attempt, which looks like
   * an endpoint that does not answer.
   */
  private static void requireHeaderValue(String name, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw new RecordFormatException(
            name
                + " header is not a valid HTTP header value (character "
                + String.format("U+%04X", (int) c)
                + " at "
                + i
                + ")");
      }
    }
  }

  /** Only headers with a value: an absent header and an empty one mean the same. */
  private static void put(Headers h, String name, String value) {
    if (value != null && !value.isEmpty()) {
      KafkaHeaders.add(h, name, value);
    }
  }

  private static String get(Headers h, String name) {
    String v = KafkaHeaders.lastString(h, name);
    return v == null || v.isEmpty() ? null : v;
  }
}
