package io.pyrogate.cluster;

import io.pyrogate.kafka.GroupLag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The consumer groups' lag read by one member for the whole cluster ({@link GroupLag.Polling}): the
 * holder of the {@link ClusterSingleton} reads it from Kafka and puts each reading into a cluster
 * map; the other members show those readings in their own gauges, so every member's {@code
 * /metrics} and status page tell the same lag, and Kafka answers one reader instead of N. A reading
 * expires from the map after {@link #TTL_MS}, so a stale one is never shown for long after its
 * reader died; the next holder reads within seconds. Only the holder logs the retention warnings.
 */
final class SharedLagPolling implements GroupLag.Polling {
  static final String MAP = "pyrogate.lag";
  static final long TTL_MS = 30_000;

  private final Vertx vertx;
  private final ClusterSingleton singleton;

  SharedLagPolling(Vertx vertx, ClusterSingleton singleton) {
    this.vertx = vertx;
    this.singleton = singleton;
  }

  @Override
  public boolean active() {
    return singleton.held();
  }

  @Override
  public void share(String group, GroupLag.Reading reading) {
    map()
        .compose(
            m ->
                m.put(
                    group,
                    new JsonObject()
                        .put("records", reading.records())
                        .put("oldestTimestampMs", reading.oldestTimestampMs())
                        .put("retentionMs", reading.retentionMs()),
                    TTL_MS));
  }

  @Override
  public CompletionStage<Map<String, GroupLag.Reading>> shared() {
    return map()
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              Map<String, GroupLag.Reading> readings = new HashMap<>();
              entries.forEach(
                  (group, r) ->
                      readings.put(
                          group,
                          new GroupLag.Reading(
                              r.getLong("records"),
                              r.getLong("oldestTimestampMs"),
                              r.getLong("retentionMs"))));
              return readings;
            })
        .toCompletionStage();
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
