package io.pyrogate.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.pyrogate.golang.Utf8;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.pyroscope.Gzip;
import io.pyrogate.pyroscope.ProfileEnvelope;
import io.pyrogate.pyroscope.PushRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Connect unary request of {@code push.v1.PusherService/Push} as connect-go serves it for
 * Pyroscope: the codecs it accepts, request compression, and the validation that needs no profile
 * decoding. Public for the benchmarks, which measure what ingest does with every push body; the
 * ingest verticle is its one user in the gateway.
 */
public final class PushDecoder {
  /** What a 415 advertises in {@code Accept-Post}: the Connect codecs served (gRPC is not). */
  static final String ACCEPT_POST =
      "application/json, application/json; charset=utf-8, application/proto";

  /**
   * A request that passed: the PushRequest, its serialized form (what is stored) and the service of
   * its first series.
   */
  public record Decoded(PushRequest request, byte[] bytes, String serviceName) {}

  private PushDecoder() {}

  /**
   * The codec of a Content-Type as connect-go matches it: {@code application/proto}, {@code
   * application/json} or {@code application/json; charset=utf-8} (case-insensitive, spaces around
   * {@code ;} ignored).
   *
   * @return the canonical content type to answer with, or null when the type is not served (415)
   */
  public static String codec(String contentType) {
    if (contentType == null) {
      return null;
    }
    String ct = contentType.toLowerCase(Locale.ROOT).trim();
    int semi = ct.indexOf(';');
    String type = (semi < 0 ? ct : ct.substring(0, semi)).trim();
    String params = semi < 0 ? "" : ct.substring(semi + 1).replace(" ", "").replace("\t", "");
    if ("application/proto".equals(type) && params.isEmpty()) {
      return "application/proto";
    }
    if ("application/json".equals(type)) {
      if (params.isEmpty()) {
        return "application/json";
      }
      if ("charset=utf-8".equals(params) || "charset=\"utf-8\"".equals(params)) {
        return "application/json; charset=utf-8";
      }
    }
    return null;
  }

  /**
   * Every sample's raw profile must be gzip or a pprof {@code Profile} ({@link ProfileEnvelope}).
   * Pyroscope reads the profiles before the labels, so a bad profile is the answer even when the
   * labels are bad too.
   */
  private static void checkProfiles(PushRequest request) {
    for (int s = 0; s < request.getSeriesCount(); s++) {
      RawProfileSeries series = request.getSeries(s);
      for (int i = 0; i < series.getSamplesCount(); i++) {
        String problem =
            ProfileEnvelope.problem(series.getSamples(i).getRawProfile().asReadOnlyByteBuffer());
        if (problem != null) {
          throw Rejection.invalidArgument(
              Rejection.Reason.PROFILE,
              "series " + s + " sample " + i + ": raw_profile: " + problem);
        }
      }
    }
  }

  static boolean isJson(String codec) {
    return codec.startsWith("application/json");
  }

  /**
   * Decompresses (when {@code gzip}), parses and validates a request body.
   *
   * @param codec what {@link #codec} returned for the request's Content-Type
   * @param gzip whether the Content-Encoding is gzip (it was checked to be gzip, identity or
   *     absent)
   * @param limit the most bytes the body may inflate to
   * @throws Rejection with the answer Pyroscope gives for a body it refuses
   */
  public static Decoded decode(byte[] body, String codec, boolean gzip, int limit) {
    byte[] bytes = body;
    if (gzip) {
      try {
        bytes = Gzip.inflate(body, limit);
      } catch (Gzip.TooLargeException e) {
        throw new Rejection(413, "resource_exhausted", Rejection.Reason.TOO_LARGE, e.getMessage());
      } catch (IOException e) {
        throw Rejection.invalidArgument("invalid gzip body: " + e.getMessage());
      }
    }
    PushRequest request;
    try {
      if (isJson(codec)) {
        if (bytes.length == 0) {
          throw Rejection.invalidArgument(
              "unmarshal message: zero-length payload is not a valid JSON object");
        }
        if (!Utf8.valid(bytes)) {
          throw Rejection.invalidArgument("unmarshal message: invalid UTF-8 in JSON");
        }
        PushRequest.Builder builder = PushRequest.newBuilder();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(bytes, StandardCharsets.UTF_8), builder);
        request = builder.build();
        bytes = request.toByteArray();
      } else {
        request = PushRequests.parse(bytes);
      }
    } catch (InvalidProtocolBufferException e) {
      throw Rejection.invalidArgument("unmarshal message: " + e.getMessage());
    } catch (Rejection e) {
      throw e;
    } catch (RuntimeException e) {
      throw Rejection.invalidArgument("unmarshal message: " + e.getMessage());
    }
    checkProfiles(request);
    SeriesLabels.validate(request);
    return new Decoded(
        request,
        bytes,
        SeriesLabels.value(request.getSeries(0).getLabelsList(), SeriesLabels.SERVICE_NAME));
  }
}
