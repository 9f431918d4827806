package io.pyrogate.record;

import java.util.Objects;

/**
 * One profile request as stored in Kafka (schemas/kafka-record.md): the payload and what is needed
 * to deliver it again as the client sent it.
 *
 * @param kind push (a push.v1 PushRequest) or ingest (a legacy /ingest body)
 * @param tenant the X-Scope-OrgID it was received with, or that a relabel rule's {@code
 *     __tenant_id__} set; null when single-tenant
 * @param contentType the payload's content type, e.g. application/proto
 * @param contentEncoding the payload's encoding (gzip) when a producer stored it encoded; null when
 *     plain
 * @param query for ingest, the original query string; null for push
 * @param receivedAtMillis when pyrogate accepted it (epoch milliseconds)
 * @param payload the bytes: for push the PushRequest without transfer encoding, for ingest the body
 *     as received
 */
public record ProfileRecord(
    Kind kind,
    String tenant,
    String contentType,
    String contentEncoding,
    String query,
    long receivedAtMillis,
    byte[] payload) {
  public enum Kind {
    PUSH("push"),
    INGEST("ingest");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Kind fromWire(String s) {
      for (Kind k : values()) {
        if (k.wire.equals(s)) {
          return k;
        }
      }
      throw new RecordFormatException("unknown " + KafkaHeaders.KIND + " \"" + s + "\"");
    }
  }

  public ProfileRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(payload, "payload");
  }

  public static ProfileRecord push(String tenant, byte[] pushRequest, long receivedAtMillis) {
    return new ProfileRecord(
        Kind.PUSH,
        tenant,
        RecordCodec.CONTENT_TYPE_PROTO,
        null,
        null,
        receivedAtMillis,
        pushRequest);
  }

  @Override
  public String toString() {
    return "ProfileRecord[kind="
        + kind.wire()
        + ", tenant="
        + tenant
        + ", contentType="
        + contentType
        + ", bytes="
        + payload.length
        + "]";
  }
}
