package io.pyrogate.cluster;

import io.pyrogate.ops.status.StatusSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@code GET /api/cluster} answers: every member with its name, address, start, the endpoints
 * it delivers with their state and rates, and the partitions of each endpoint's group it holds.
 * Each member puts its own part into a cluster map every {@link #INTERVAL_MS} and reads
 * everybody's; a part is shown while its member is in the cluster (Hazelcast's membership, so a
 * killed member leaves the view when its heartbeats stop) and expires after {@link #TTL_MS}.
 * Without cluster mode the view has this instance as its only member, {@code clustered: false}.
 * Only control data: states, rates, partition numbers, never a profile nor a secret (URLs are the
 * status page's, without user info or query).
 */
public final class ClusterView {
  static final String MAP = "pyrogate.members";
  static final long INTERVAL_MS = 2_000;
  static final long TTL_MS = 15_000;

  private final Supplier<JsonObject> ownPart;
  private final String clusterName;
  private final Vertx vertx;
  private final ClusterManager manager;
  private volatile JsonObject current;

  /**
   * @param ownPart this member's part as {@link #part} builds it, now
   * @param manager the cluster manager, null without cluster mode
   */
  ClusterView(
      Supplier<JsonObject> ownPart, String clusterName, Vertx vertx, ClusterManager manager) {
    this.ownPart = ownPart;
    this.clusterName = clusterName;
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Starts publishing this member's part and reading the others', every {@link #INTERVAL_MS}. */
  void start() {
    if (manager != null) {
      refresh();
      vertx.setPeriodic(INTERVAL_MS, t -> refresh());
    }
  }

  /** The view as {@code GET /api/cluster} answers it. */
  public JsonObject current() {
    JsonObject view = current;
    if (view == null) {
      JsonObject self = ownPart.get().put("self", true);
      view = view(manager != null, new JsonArray().add(self));
    }
    return view.copy().put("generatedAt", System.currentTimeMillis());
  }

  /** Forgets this member's part at once: it is leaving. */
  void remove(String node) {
    if (manager != null) {
      map().compose(m -> m.remove(node));
    }
  }

  private void refresh() {
    JsonObject mine = ownPart.get();
    String node = mine.getString("node");
    map()
        .compose(m -> m.put(node, mine, TTL_MS).compose(v -> m.entries()))
        .onSuccess(
            entries -> {
              Set<String> live = new HashSet<>(manager.getNodes());
              List<JsonObject> members = new ArrayList<>();
              entries.forEach(
                  (id, part) -> {
                    if (live.contains(id)) {
                      members.add(part.copy().put("self", id.equals(node)));
                    }
                  });
              members.sort(
                  Comparator.comparingLong((JsonObject m) -> m.getLong("upSince"))
                      .thenComparing(m -> m.getString("nodeName")));
              current = view(true, new JsonArray(new ArrayList<>(members)));
            });
  }

  private JsonObject view(boolean clustered, JsonArray members) {
    return new JsonObject()
        .put("clustered", clustered)
        .put("cluster", clustered ? clusterName : null)
        .put("members", members);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /**
   * A member's part of the view.
   *
   * @param node the member's id in the cluster
   * @param address where the other members reach it (host:port), null without cluster mode
   * @param singletons the work it does for the whole cluster, e.g. "lag"
   */
  static JsonObject part(
      StatusSnapshot status,
      String node,
      String nodeName,
      String address,
      long upSince,
      List<String> singletons) {
    JsonArray endpoints = new JsonArray();
    for (StatusSnapshot.Write w : status.writes()) {
      for (StatusSnapshot.Endpoint e : w.endpoints()) {
        endpoints.add(
            new JsonObject()
                .put("write", w.component())
                .put("endpoint", e.name())
                .put("url", e.url())
                .put("state", e.state())
                .put("profilesPerSecond", e.profilesPerSecond())
                .put("bytesPerSecond", e.bytesPerSecond())
                .put("retriesPerSecond", e.retriesPerSecond())
                .put("nextAttempt", e.nextAttempt())
                .put("partitions", new JsonArray(e.partitions())));
      }
    }
    return new JsonObject()
        .put("node", node)
        .put("nodeName", nodeName)
        .put("address", address)
        .put("upSince", upSince)
        .put("version", status.version())
        .put("ready", status.notReady() == null)
        .put("singletons", new JsonArray(singletons))
        .put("endpoints", endpoints);
  }
}
