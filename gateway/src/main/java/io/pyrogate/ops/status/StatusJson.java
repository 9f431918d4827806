package io.pyrogate.ops.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Encodes a {@link StatusSnapshot} as the JSON of {@code GET /api/status}: the records' field
 * names, null for what is unknown, times in epoch milliseconds. The README lists the fields.
 */
final class StatusJson {
  private StatusJson() {}

  static String encode(StatusSnapshot s) {
    return encode(s, null);
  }

  /**
   * With {@code cluster}, the cluster view, under {@code cluster}; its members join the wiring, so
   * the page is loaded again when one joins or leaves.
   */
  static String encode(StatusSnapshot s, JsonObject cluster) {
    JsonArray receivers = new JsonArray();
    s.receivers().forEach(r -> receivers.add(receiver(r)));
    JsonArray writes = new JsonArray();
    s.writes().forEach(w -> writes.add(write(w)));
    StatusSnapshot.Config c = s.config();
    StatusSnapshot.Reload last = c.lastReload();
    return new JsonObject()
        .put("version", s.version())
        .put("generatedAt", s.generatedAt())
        .put("startedAt", s.startedAt())
        .put("uptimeSeconds", s.uptimeSeconds())
        .put("ready", s.notReady() == null)
        .put("notReady", s.notReady())
        .put("wiring", cluster == null ? s.wiring() : s.wiring() + "\n" + members(cluster))
        .put(
            "config",
            new JsonObject()
                .put("file", c.file())
                .put("loadedAt", c.loadedAt())
                .put("summary", c.summary())
                .put(
                    "lastReload",
                    last == null
                        ? null
                        : new JsonObject()
                            .put("at", last.at())
                            .put("succeeded", last.succeeded())
                            .put("result", last.result())))
        .put(
            "kafka",
            new JsonObject()
                .put("embedded", s.kafka().embedded())
                .put("reachable", s.kafka().reachable())
                .put("problem", s.kafka().problem())
                .put("brokers", new JsonArray(s.kafka().brokers())))
        .put(
            "ingest",
            new JsonObject()
                .put("inflightBytes", s.ingest().inflightBytes())
                .put("inflightCapBytes", s.ingest().inflightCapBytes()))
        .put("receivers", receivers)
        .put("writes", writes)
        .mergeIn(cluster == null ? new JsonObject() : new JsonObject().put("cluster", cluster))
        .encode();
  }

  private static String members(JsonObject cluster) {
    StringBuilder b = new StringBuilder("cluster:");
    cluster
        .getJsonArray("members")
        .forEach(m -> b.append(' ').append(((JsonObject) m).getString("node")));
    return b.toString();
  }

  private static JsonObject receiver(StatusSnapshot.Receiver r) {
    return new JsonObject()
        .put("component", r.component())
        .put("kind", r.kind())
        .put("listen", r.listen())
        .put("forwardTo", new JsonArray(r.forwardTo()))
        .put("requestsPerSecond", object(r.requestsPerSecond()))
        .put("requests", object(r.requests()))
        .put("rejections", object(r.rejections()));
  }

  private static JsonObject write(StatusSnapshot.Write w) {
    JsonArray endpoints = new JsonArray();
    w.endpoints().forEach(e -> endpoints.add(endpoint(e)));
    return new JsonObject()
        .put("component", w.component())
        .put("topic", w.topic())
        .put("retentionSeconds", w.retentionSeconds())
        .put("endpoints", endpoints);
  }

  private static JsonObject endpoint(StatusSnapshot.Endpoint e) {
    JsonArray reasons = new JsonArray();
    e.deadLetterReasons()
        .forEach(
            r -> reasons.add(new JsonObject().put("reason", r.reason()).put("count", r.count())));
    return new JsonObject()
        .put("name", e.name())
        .put("url", e.url())
        .put("state", e.state())
        .put("stateSince", e.stateSince())
        .put("profilesPerSecond", e.profilesPerSecond())
        .put("bytesPerSecond", e.bytesPerSecond())
        .put("retriesPerSecond", e.retriesPerSecond())
        .put("lagRecords", e.lagRecords())
        .put("lagBytesEstimate", e.lagBytesEstimate())
        .put("oldestUndeliveredSeconds", e.oldestUndeliveredSeconds())
        .put("lastSuccess", e.lastSuccess())
        .put("lastErrorAt", e.lastErrorAt())
        .put("lastErrorStatus", e.lastErrorStatus())
        .put("lastError", e.lastError())
        .put("nextAttempt", e.nextAttempt())
        .put("deadLettered", e.deadLettered())
        .put("deadLetterReasons", reasons)
        .put("partitions", new JsonArray(e.partitions()))
        .put("tenantSendRateBytesPerSecond", e.tenantSendRateBytesPerSecond())
        .put("sendBudgetHeldSecondsPerSecond", e.sendBudgetHeldSecondsPerSecond());
  }

  private static JsonObject object(Map<String, Double> values) {
    JsonObject o = new JsonObject();
    values.forEach(o::put);
    return o;
  }
}
