package io.pyrogate.record;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Every Kafka header pyrogate reads or writes (schemas/kafka-record.md), and how their values are
 * read and written: UTF-8 text, the last header of a name winning.
 */
public final class KafkaHeaders {
  /** Version of the record schema. */
  public static final String VERSION = "pyrogate-record-version";

  /** {@link ProfileRecord.Kind#wire()}. */
  public static final String KIND = "pyrogate-kind";

  public static final String CONTENT_TYPE = "content-type";
  public static final String CONTENT_ENCODING = "content-encoding";
  public static final String TENANT = "x-scope-orgid";
  public static final String QUERY = "pyrogate-query";
  public static final String RECEIVED_AT = "pyrogate-received-at";

  /** What every dead-letter header starts with. */
  public static final String DLQ_PREFIX = "pyrogate-dlq-";

  /** The endpoint that gave up on a dead letter. */
  public static final String DLQ_ENDPOINT = DLQ_PREFIX + "endpoint";

  public static final String DLQ_REASON = DLQ_PREFIX + "reason";
  public static final String DLQ_STATUS = DLQ_PREFIX + "http-status";
  public static final String DLQ_ATTEMPTS = DLQ_PREFIX + "attempts";
  public static final String DLQ_FIRST_ATTEMPT = DLQ_PREFIX + "first-attempt";
  public static final String DLQ_LAST_ATTEMPT = DLQ_PREFIX + "last-attempt";

  /** {@code <topic>-<partition>@<offset>} of the original record. */
  public static final String DLQ_SOURCE = DLQ_PREFIX + "source";

  /** The only endpoint that delivers a replayed dead letter. */
  public static final String REPLAY_ENDPOINT = "pyrogate-replay-endpoint";

  private KafkaHeaders() {}

  /**
   * The value of the last header named {@code name}, or null when there is none or it has no value.
   */
  public static String lastString(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Adds a header. */
  public static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Sets a header, removing any of the same name. */
  public static void replace(Headers headers, String name, String value) {
    headers.remove(name);
    add(headers, name, value);
  }
}
