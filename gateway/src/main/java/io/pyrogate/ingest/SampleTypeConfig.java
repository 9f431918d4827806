package io.pyrogate.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * The optional {@code sample_type_config} part of a pprof form: a JSON object mapping a sample type
 * to {@code {units, aggregation, display-name, sampled, cumulative}}. Pyroscope refuses the request
 * (422) when it does not decode into that shape, so pyrogate checks the shape (not the values).
 */
final class SampleTypeConfig {
  private static final Map<String, Class<?>> FIELDS =
      Map.of(
          "units",
          String.class,
          "aggregation",
          String.class,
          "display-name",
          String.class,
          "sampled",
          Boolean.class,
          "cumulative",
          Boolean.class);

  private SampleTypeConfig() {}

  static void check(byte[] body, Multipart.Part part, String messagePrefix) {
    JsonObject config;
    try {
      config = new JsonObject(Buffer.buffer(body).slice(part.start(), part.end()));
    } catch (DecodeException | ClassCastException e) {
      throw Rejection.unprocessable(
          messagePrefix + "sample_type_config is not a JSON object: " + firstLine(e.getMessage()));
    }
    for (Map.Entry<String, Object> sampleType : config) {
      Object value = sampleType.getValue();
      if (value == null) {
        continue;
      }
      if (!(value instanceof JsonObject)) {
        throw Rejection.unprocessable(
            messagePrefix + "sample_type_config \"" + sampleType.getKey() + "\" is not an object");
      }
      for (Map.Entry<String, Object> field : (JsonObject) value) {
        Class<?> type = FIELDS.get(field.getKey().toLowerCase(Locale.ROOT));
        if (type != null && field.getValue() != null && !type.isInstance(field.getValue())) {
          throw Rejection.unprocessable(
              messagePrefix
                  + "sample_type_config \""
                  + sampleType.getKey()
                  + "\": "
                  + field.getKey()
                  + " must be a "
                  + (type == String.class ? "string" : "boolean"));
        }
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
