package io.pyrogate.delivery;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.kafka.KafkaDefaults;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.pyroscope.ExternalLabels;
import io.pyrogate.pyroscope.Gzip;
import io.pyrogate.pyroscope.LabelSet;
import io.pyrogate.pyroscope.PushRequests;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordFormatException;
import java.io.IOException;
import java.util.Map;

/**
 * What a {@code pyroscope.write} does to every profile before sending it ({@link ExternalLabels}):
 * for push, reserved labels and {@code external_labels} on every series (a record stored
 * gzip-encoded is inflated for it); for /ingest, {@code external_labels} in the {@code name}
 * parameter. A record that needs no change comes out as it came in, so it is delivered byte for
 * byte.
 */
final class RecordPreparer {
  private final ExternalLabels externalLabels;

  RecordPreparer(Map<String, String> externalLabels) {
    this.externalLabels = new ExternalLabels(externalLabels);
  }

  /**
   * @throws RecordFormatException when the record cannot be delivered: it goes to the dead-letter
   *     topic
   */
  ProfileRecord prepare(ProfileRecord profile) {
    if (profile.kind() != ProfileRecord.Kind.PUSH) {
      String query;
      try {
        query = externalLabels.applyToIngestQuery(profile.query());
      } catch (LabelSet.InvalidNameException e) {
        throw new RecordFormatException(
            "cannot apply external_labels to the /ingest name: " + e.getMessage());
      }
      return query == profile.query()
          ? profile
          : new ProfileRecord(
              profile.kind(),
              profile.tenant(),
              profile.contentType(),
              profile.contentEncoding(),
              query,
              profile.receivedAtMillis(),
              profile.payload());
    }
    byte[] plain = profile.payload();
    if (profile.contentEncoding() != null) {
      if (!"gzip".equalsIgnoreCase(profile.contentEncoding())) {
        throw new RecordFormatException(
            "unsupported content-encoding \"" + profile.contentEncoding() + "\"");
      }
      try {
        plain = Gzip.inflate(plain, KafkaDefaults.MAX_BODY_BYTES);
      } catch (IOException e) {
        throw new RecordFormatException("cannot inflate gzip value: " + e.getMessage());
      }
    }
    PushRequest request;
    try {
      request = PushRequests.parse(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new RecordFormatException("value is not a push.v1.PushRequest: " + e.getMessage());
    }
    PushRequest relabelled = externalLabels.apply(request);
    if (relabelled == request) {
      return profile;
    }
    return new ProfileRecord(
        profile.kind(),
        profile.tenant(),
        profile.contentType(),
        null,
        profile.query(),
        profile.receivedAtMillis(),
        relabelled.toByteArray());
  }
}
