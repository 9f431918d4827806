package io.pyrogate.pyroscope;

import java.nio.ByteBuffer;

/**
 * A cheap check that bytes can be a pprof profile, as Pyroscope reads one ({@code
 * pprof.RawFromBytesWithLimit}): either a gzip stream (its 10-byte header, magic {@code 1f 8b 08};
 * the stream itself is not inflated) or a serialized {@code perftools.profiles.Profile} whose
 * top-level fields are well formed: valid tags, the wire type each known field has, lengths inside
 * the bytes, and at least one {@code sample_type} (Pyroscope refuses a profile without one as
 * "empty profile"). Nested messages are not decoded, so the cost is one varint or two per top-level
 * field (a sample, location, function or string), never per byte.
 */
public final class ProfileEnvelope {
  private static final int GZIP_HEADER = 10;
  private static final int VARINT = 0;
  private static final int I64 = 1;
  private static final int LEN = 2;
  private static final int END_GROUP = 4;
  private static final int I32 = 5;
  private static final int SAMPLE_TYPE = 1;

  /**
   * The highest field number of {@code Profile}; higher ones are unknown fields, which Go skips.
   */
  private static final int LAST_FIELD = 14;

  private ProfileEnvelope() {}

  /**
   * @param bytes the profile, from its position to its limit (neither is changed)
   * @return why Pyroscope cannot read the bytes as a profile, or null when the envelope is sound
   */
  public static String problem(ByteBuffer bytes) {
    int at = bytes.position();
    int end = bytes.limit();
    if (at == end) {
      return "empty profile";
    }
    if ((bytes.get(at) & 0xff) == 0x1f && end - at > 1 && (bytes.get(at + 1) & 0xff) == 0x8b) {
      return end - at >= GZIP_HEADER && bytes.get(at + 2) == 8
          ? null
          : "gzip header is truncated or not deflate";
    }
    Cursor in = new Cursor(bytes, at, end);
    boolean sampleType = false;
    while (in.at < end) {
      int fieldStart = in.at;
      long tag = in.varint();
      if (tag < 0) {
        return "not a gzip stream nor a pprof profile: truncated tag at byte "
            + (fieldStart - bytes.position());
      }
      int field = (int) Math.min(tag >>> 3, Integer.MAX_VALUE);
      int wireType = (int) (tag & 7);
      if (field == 0) {
        return "not a gzip stream nor a pprof profile: field number 0 at byte "
            + (fieldStart - bytes.position());
      }
      String wrong = wrongWireType(field, wireType);
      if (wrong != null) {
        return "not a gzip stream nor a pprof profile: " + wrong;
      }
      sampleType |= field == SAMPLE_TYPE;
      switch (wireType) {
        case VARINT -> {
          if (in.varint() < 0) {
            return "not a gzip stream nor a pprof profile: truncated varint of field " + field;
          }
        }
        case I64 -> in.at += 8;
        case I32 -> in.at += 4;
        case LEN -> {
          long length = in.varint();
          if (length < 0) {
            return "not a gzip stream nor a pprof profile: truncated length of field " + field;
          }
          if (length > end - in.at) {
            return "not a gzip stream nor a pprof profile: field "
                + field
                + " of "
                + length
                + " bytes runs past the end";
          }
          in.at += (int) length;
        }
        case END_GROUP -> {
          return "not a gzip stream nor a pprof profile: unexpected end of group";
        }
        default -> {
          // A group of an unknown field: Go skips it; not followed here (no profiler writes
          // groups), so accepted.
          return null;
        }
      }
      if (in.at > end) {
        return "not a gzip stream nor a pprof profile: field " + field + " runs past the end";
      }
    }
    return sampleType ? null : "empty profile";
  }

  /** Why a field of {@code Profile} cannot have this wire type, or null. */
  private static String wrongWireType(int field, int wireType) {
    if (wireType == 6 || wireType == 7) {
      return "illegal wire type " + wireType + " of field " + field;
    }
    if (field > LAST_FIELD) {
      return null; // unknown fields of any valid wire type are skipped
    }
    boolean ok =
        switch (field) {
          case 1, 2, 3, 4, 5, 6, 11 -> wireType == LEN;
          case 13 ->
              wireType == VARINT || wireType == LEN; // comment: repeated int64, packed or not
          default -> wireType == VARINT;
        };
    return ok ? null : "wrong wire type " + wireType + " for field " + field;
  }

  /** A read position in the bytes. */
  private static final class Cursor {
    private final ByteBuffer bytes;
    private final int end;
    int at;

    Cursor(ByteBuffer bytes, int at, int end) {
      this.bytes = bytes;
      this.at = at;
      this.end = end;
    }

    /**
     * The varint at the position, which moves past it; -1 when it is truncated or longer than 10
     * bytes.
     */
    long varint() {
      long value = 0;
      for (int shift = 0; shift < 70 && at < end; shift += 7) {
        byte b = bytes.get(at++);
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value & Long.MAX_VALUE;
        }
      }
      return -1;
    }
  }
}
