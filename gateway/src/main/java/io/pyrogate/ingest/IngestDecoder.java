package io.pyrogate.ingest;

import io.pyrogate.golang.Url;
import io.pyrogate.pyroscope.ProfileEnvelope;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The legacy {@code /ingest} API as Pyroscope serves it. pyrogate does not convert profiles: it
 * checks the envelope the way Pyroscope does before conversion (the {@code name}, which body format
 * the request selects, the multipart shape, a non-empty body) and stores the body exactly as
 * received.
 */
final class IngestDecoder {
  static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
  private static final String PPROF_FAILED = "parsing IngestInput-pprof failed ";
  private static final String PPROF_FORM_FAILED =
      PPROF_FAILED + "failed to parse pprof /ingest multipart form ";

  /** The body formats Pyroscope tells apart, in the order it checks for them. */
  enum Format {
    TRIE,
    TREE,
    LINES,
    JFR,
    PPROF,
    SPEEDSCOPE,
    PPROF_MULTIPART,
    FOLDED;

    /**
     * Formats Pyroscope converts through its tree ingester, which names the profile type from the
     * app name.
     */
    boolean textual() {
      return this == TRIE || this == TREE || this == LINES || this == FOLDED;
    }
  }

  private IngestDecoder() {}

  /**
   * Which parser Pyroscope picks (its {@code readInputRawDataFromRequest}): the first of {@code
   * format=trie} or a {@code +trie} Content-Type, then tree, lines, jfr, pprof, speedscope, a
   * multipart Content-Type (pprof form); anything else is folded text. {@code format=folded} is not
   * a value of its own: it falls through.
   */
  static Format format(String rawQuery, String contentType) {
    String format = Url.queryGet(rawQuery, "format");
    String ct = contentType == null ? "" : contentType;
    if ("trie".equals(format) || "binary/octet-stream+trie".equals(ct)) {
      return Format.TRIE;
    }
    if ("tree".equals(format) || "binary/octet-stream+tree".equals(ct)) {
      return Format.TREE;
    }
    switch (format) {
      case "lines":
        return Format.LINES;
      case "jfr":
        return Format.JFR;
      case "pprof":
        return Format.PPROF;
      case "speedscope":
        return Format.SPEEDSCOPE;
      default:
        return isMultipart(ct) ? Format.PPROF_MULTIPART : Format.FOLDED;
    }
  }

  static boolean isMultipart(String contentType) {
    return contentType != null && contentType.contains("multipart/form-data");
  }

  /**
   * Reads the query: the {@code name} must parse as Pyroscope's label set.
   *
   * @throws Rejection 400 as Pyroscope answers a bad name
   */
  static IngestName name(String rawQuery) {
    return IngestName.parse(Url.queryGet(rawQuery, "name"), Url.queryGet(rawQuery, "spyName"));
  }

  /**
   * Checks a body for the format the request selects.
   *
   * @throws Rejection 400 or 422 as Pyroscope answers a body it cannot ingest
   */
  static void check(IngestName name, Format format, String contentType, byte[] body) {
    if (body.length == 0) {
      throw Rejection.unprocessable("request body is empty: there is no profile to ingest");
    }
    if (format.textual()) {
      name.checkTextFormatType();
    } else if (format == Format.PPROF_MULTIPART) {
      checkPprofForm(contentType, body);
    } else if (format == Format.PPROF) {
      checkProfile(ByteBuffer.wrap(body));
    } else if (format == Format.JFR && isMultipart(contentType)) {
      checkJfrForm(contentType, body);
    }
    name.checkSeriesLabels(format);
  }

  /**
   * pyroscope-go and @pyroscope/nodejs: a {@code profile} file part; {@code prev_profile} is
   * refused.
   */
  private static void checkPprofForm(String contentType, byte[] body) {
    List<Multipart.Part> parts;
    try {
      parts = Multipart.parse(body, Multipart.boundary(contentType));
    } catch (Multipart.MalformedException e) {
      throw Rejection.unprocessable(PPROF_FORM_FAILED + e.getMessage());
    }
    if (Multipart.file(parts, "prev_profile") != null) {
      throw Rejection.unprocessable(
          PPROF_FORM_FAILED
              + "unsupported client version. Please update github.com/grafana/pyroscope-go to the latest version");
    }
    Multipart.Part profile = Multipart.file(parts, "profile");
    if (profile == null) {
      throw Rejection.unprocessable(PPROF_FORM_FAILED + "profile field is required");
    }
    Multipart.Part config = Multipart.file(parts, "sample_type_config");
    if (config != null) {
      SampleTypeConfig.check(body, config, PPROF_FORM_FAILED);
    }
    checkProfile(ByteBuffer.wrap(body, profile.start(), profile.length()));
  }

  /**
   * The pprof bytes must be gzip or a {@code Profile} ({@link ProfileEnvelope}); Pyroscope answers
   * 422 otherwise.
   */
  private static void checkProfile(ByteBuffer profile) {
    String problem = ProfileEnvelope.problem(profile);
    if (problem != null) {
      throw Rejection.unprocessable(Rejection.Reason.PROFILE, PPROF_FAILED + problem);
    }
  }

  /**
   * pyroscope-java: a {@code jfr} file part (gzip or plain) and an optional {@code labels} part.
   */
  private static void checkJfrForm(String contentType, byte[] body) {
    List<Multipart.Part> parts;
    try {
      parts = Multipart.parse(body, Multipart.boundary(contentType));
    } catch (Multipart.MalformedException e) {
      throw Rejection.unprocessable(PPROF_FAILED + e.getMessage());
    }
    Multipart.Part jfr = Multipart.file(parts, "jfr");
    if (jfr == null) {
      throw Rejection.unprocessable(PPROF_FAILED + "jfr field is required");
    }
    if (jfr.length() < 2) {
      throw Rejection.unprocessable(
          PPROF_FAILED + "loadJFRFromForm failed to decompress jfr: failed to read magic");
    }
    Multipart.Part labels = Multipart.file(parts, "labels");
    if (labels != null && labels.length() < 2) {
      throw Rejection.unprocessable(
          PPROF_FAILED + "loadJFRFromForm failed to decompress labels: failed to read magic");
    }
  }
}
