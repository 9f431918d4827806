package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordFormatException;
import io.pyrogate.testing.Profiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RecordPreparerTest {
  private static final byte[] PPROF = Profiles.jvmStacksPprof(1);

  @Test
  void aPushGetsTheExternalLabelsAndLosesReservedOnes() throws Exception {
    PushRequest push = Profiles.push("svc", PPROF, Map.of("__session_id__", "s1", "env", "dev"));
    ProfileRecord prepared =
        new RecordPreparer(Map.of("env", "prod", "cluster", "eu-1"))
            .prepare(ProfileRecord.push("t1", push.toByteArray(), 1));
    assertThat(labels(prepared))
        .containsExactly("__name__=process_cpu", "service_name=svc", "env=prod", "cluster=eu-1");
    assertThat(prepared.tenant()).isEqualTo("t1");
    assertThat(prepared.receivedAtMillis()).isEqualTo(1);
  }

  @Test
  void aPushThatNeedsNoChangeIsDeliveredAsItCame() {
    ProfileRecord record =
        ProfileRecord.push(
            null, Profiles.push("svc", PPROF, Map.of("env", "dev")).toByteArray(), 1);
    assertThat(new RecordPreparer(Map.of()).prepare(record)).isSameAs(record);
    assertThat(new RecordPreparer(Map.of("env", "dev")).prepare(record)).isSameAs(record);
  }

  @Test
  void aGzipPushIsInflatedToBeRelabelledAndLeftEncodedOtherwise() throws Exception {
    byte[] gzipped = gzip(Profiles.push("svc", PPROF, Map.of()).toByteArray());
    ProfileRecord stored =
        new ProfileRecord(
            ProfileRecord.Kind.PUSH, null, "application/proto", "gzip", null, 1, gzipped);
    ProfileRecord prepared = new RecordPreparer(Map.of("cluster", "eu-1")).prepare(stored);
    assertThat(prepared.contentEncoding()).isNull();
    assertThat(labels(prepared)).contains("cluster=eu-1");
    assertThat(new RecordPreparer(Map.of()).prepare(stored)).isSameAs(stored);
  }

  @Test
  void anIngestNameGetsTheExternalLabels() {
    ProfileRecord ingest =
        new ProfileRecord(
            ProfileRecord.Kind.INGEST,
            null,
            "binary/octet-stream",
            null,
            "name=app%7Benv%3Ddev%7D&from=1",
            1,
            new byte[] {1});
    assertThat(new RecordPreparer(Map.of("env", "prod")).prepare(ingest).query())
        .isEqualTo("name=app%7Benv%3Dprod%7D&from=1");
    assertThat(new RecordPreparer(Map.of()).prepare(ingest)).isSameAs(ingest);
  }

  @Test
  void whatCannotBeDeliveredIsAFormatError() {
    RecordPreparer preparer = new RecordPreparer(Map.of("env", "prod"));
    assertThatThrownBy(
            () ->
                preparer.prepare(
                    new ProfileRecord(
                        ProfileRecord.Kind.PUSH,
                        null,
                        "application/proto",
                        "br",
                        null,
                        1,
                        new byte[] {1})))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("unsupported content-encoding \"br\"");
    assertThatThrownBy(
            () -> preparer.prepare(ProfileRecord.push(null, new byte[] {(byte) 0xff, 1}, 1)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("not a push.v1.PushRequest");
    assertThatThrownBy(
            () ->
                preparer.prepare(
                    new ProfileRecord(
                        ProfileRecord.Kind.INGEST,
                        null,
                        "binary/octet-stream",
                        null,
                        "name=app%21%7B%7D",
                        1,
                        new byte[] {1})))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("cannot apply external_labels");
  }

  private static List<String> labels(ProfileRecord r) throws Exception {
    return PushRequest.parseFrom(r.payload()).getSeries(0).getLabelsList().stream()
        .map(l -> l.getName() + "=" + l.getValue())
        .toList();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
