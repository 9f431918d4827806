package io.pyrogate.delivery;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.pyrogate.record.ProfileRecord;
import java.io.IOException;

/**
 * What a request costs of its tenant's {@link SendBudget}: the bytes Pyroscope's distributor
 * charges against the tenant's ingestion rate ({@code TotalBytesUncompressed}: the names and values
 * of each series' labels plus the decompressed size of each profile), found cheaply. A push record
 * is walked without copying anything: a gzipped profile counts the size its gzip trailer gives
 * (ISIZE, the last 4 bytes), so nothing is decompressed; a plain profile counts its length. A
 * record stored gzip-encoded counts its own trailer's size; an /ingest body counts its length (what
 * Pyroscope charges for it is only known once parsed); a push record that cannot be read counts its
 * length.
 */
final class RequestCost {
  private static final int SERIES = 1;
  private static final int SERIES_LABELS = 1;
  private static final int SERIES_SAMPLES = 2;
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  private static final int SAMPLE_RAW_PROFILE = 1;

  /** A gzip member's header (10 bytes) and trailer (CRC-32 and ISIZE, 8 bytes). */
  private static final int GZIP_OVERHEAD = 18;

  private RequestCost() {}

  /** The cost of one record. */
  static long of(ProfileRecord r) {
    byte[] payload = r.payload();
    if (r.contentEncoding() != null) {
      return gzipped(payload, 0, payload.length)
          ? isize(payload, 0, payload.length)
          : payload.length;
    }
    if (r.kind() != ProfileRecord.Kind.PUSH) {
      return payload.length;
    }
    try {
      return push(payload);
    } catch (IOException e) {
      return payload.length;
    }
  }

  /** A PushRequest: each series' labels and profiles. */
  private static long push(byte[] payload) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(payload);
    long cost = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(SERIES)) {
        int limit = in.pushLimit(in.readRawVarint32());
        cost += series(in, payload);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return cost;
  }

  private static long series(CodedInputStream in, byte[] payload) throws IOException {
    long cost = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(SERIES_LABELS)) {
        int limit = in.pushLimit(in.readRawVarint32());
        cost += fieldLengths(in, LABEL_NAME, LABEL_VALUE);
        in.popLimit(limit);
      } else if (tag == lengthDelimited(SERIES_SAMPLES)) {
        int limit = in.pushLimit(in.readRawVarint32());
        cost += sample(in, payload);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return cost;
  }

  /** A label pair: the lengths of its name and value. */
  private static long fieldLengths(CodedInputStream in, int name, int value) throws IOException {
    long cost = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(name) || tag == lengthDelimited(value)) {
        int length = in.readRawVarint32();
        in.skipRawBytes(length);
        cost += length;
      } else {
        in.skipField(tag);
      }
    }
    return cost;
  }

  /** A raw sample: its profile's decompressed size. */
  private static long sample(CodedInputStream in, byte[] payload) throws IOException {
    long cost = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(SAMPLE_RAW_PROFILE)) {
        int length = in.readRawVarint32();
        int start = in.getTotalBytesRead();
        in.skipRawBytes(length); // checks the length against the payload
        cost += gzipped(payload, start, length) ? isize(payload, start, length) : length;
      } else {
        in.skipField(tag);
      }
    }
    return cost;
  }

  private static boolean gzipped(byte[] b, int start, int length) {
    return length >= GZIP_OVERHEAD && (b[start] & 0xff) == 0x1f && (b[start + 1] & 0xff) == 0x8b;
  }

  /** The decompressed size a gzip stream's trailer gives (modulo 2^32), little-endian. */
  private static long isize(byte[] b, int start, int length) {
    int end = start + length;
    return (b[end - 4] & 0xffL)
        | (b[end - 3] & 0xffL) << 8
        | (b[end - 2] & 0xffL) << 16
        | (b[end - 1] & 0xffL) << 24;
  }

  private static int lengthDelimited(int field) {
    return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }
}
