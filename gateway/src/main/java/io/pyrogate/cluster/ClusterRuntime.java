package io.pyrogate.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.pyrogate.config.TenantSendRate;
import io.pyrogate.delivery.SendBudget;
import io.pyrogate.delivery.SharedBackOff;
import io.pyrogate.kafka.GroupLag;
import io.pyrogate.ops.status.StatusSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's place in a cluster, or on its own without {@code --cluster.enabled}: it builds
 * the Vert.x (clustered on Hazelcast, or not), and gives the rest of pyrogate what cluster mode
 * shares — each endpoint's {@link SharedBackOff} and {@link SendBudget}, the lag read by one member
 * for all ({@link GroupLag.Polling}) and the {@link ClusterView}. The cluster is a control plane:
 * profiles never travel over it, Kafka stays the only data path. On its own, every part behaves as
 * without clustering: nothing shared, the lag read locally, a view of one member.
 */
public final class ClusterRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);
  static final String LAG_LOCK = "pyrogate.lag-poller";

  private final ClusterSettings settings;
  private final String clusterName;
  private final HazelcastClusterManager manager;
  private final long upSince = System.currentTimeMillis();
  private Vertx vertx;
  private ClusterSingleton lagPoller;
  private ClusterView view;

  private ClusterRuntime(
      ClusterSettings settings, String clusterName, HazelcastClusterManager manager) {
    this.settings = settings;
    this.clusterName = clusterName;
    this.manager = manager;
  }

  /**
   * The runtime {@code settings} ask for; in cluster mode the Hazelcast member is configured, and
   * the event bus in {@code options}.
   *
   * @param topicPrefix the configuration's, from which the cluster's default name derives
   * @throws IllegalArgumentException when the advertised address does not resolve
   */
  public static ClusterRuntime of(
      ClusterSettings settings, String topicPrefix, VertxOptions options) {
    if (!settings.enabled()) {
      return new ClusterRuntime(settings, null, null);
    }
    String name = settings.nameFor(topicPrefix);
    HazelcastSetup.eventBus(options.getEventBusOptions(), settings);
    return new ClusterRuntime(
        settings, name, new HazelcastClusterManager(HazelcastSetup.config(settings, name)));
  }

  /** Whether this instance is a member of a cluster. */
  public boolean clustered() {
    return manager != null;
  }

  /** Builds the Vert.x: in cluster mode it completes once this member joined the cluster. */
  public Future<Vertx> vertx(VertxBuilder builder) {
    if (manager == null) {
      return Future.succeededFuture(vertx = builder.build());
    }
    LOG.info(
        "joining cluster \"{}\" as {} (join addresses {})",
        clusterName,
        settings.nodeName(),
        settings.joinAddresses().isEmpty() ? "none" : settings.joinAddresses());
    return builder.withClusterManager(manager).buildClustered().onSuccess(v -> vertx = v);
  }

  /**
   * Starts what cluster mode runs once the Vert.x is up: the view (publishing this member's part,
   * built from {@code status}) and the try for the lag lock.
   */
  public void start(Supplier<StatusSnapshot> status) {
    if (manager != null) {
      lagPoller = new ClusterSingleton(vertx, LAG_LOCK, "the consumer groups' lag reading");
      lagPoller.start();
      HazelcastInstance hazelcast = manager.getHazelcastInstance();
      hazelcast.getCluster().addMembershipListener(new MembershipLog());
      LOG.info(
          "member {} of cluster \"{}\" at {}: {} member(s)",
          settings.nodeName(),
          clusterName,
          address(),
          hazelcast.getCluster().getMembers().size());
    }
    view =
        new ClusterView(
            () ->
                ClusterView.part(
                    status.get(),
                    node(),
                    nodeName(),
                    address(),
                    upSince,
                    lagPoller == null || lagPoller.held() ? List.of("lag") : List.of()),
            clusterName,
            vertx,
            manager);
    view.start();
  }

  /** The endpoint's back-off as every member shares it; {@link SharedBackOff#NONE} on its own. */
  public SharedBackOff backOff(String write, String endpoint) {
    return manager == null
        ? SharedBackOff.NONE
        : new EventBusBackOff(vertx, write, endpoint, node(), nodeName());
  }

  /**
   * The endpoint's send budget at {@code rate}: the cluster's, which every member charges, or this
   * instance's on its own; {@link SendBudget#NONE} without a rate.
   */
  public SendBudget sendBudget(String write, String endpoint, TenantSendRate rate) {
    SendBudget own = SendBudget.local(rate);
    return manager == null || !rate.limited()
        ? own
        : new HazelcastSendBudget(
            vertx, manager.getHazelcastInstance(), write, endpoint, rate.bytesPerSecond(), own);
  }

  /** Who reads the consumer groups' lag: this instance on its own, one member in a cluster. */
  public GroupLag.Polling lagPolling() {
    return manager == null ? GroupLag.Polling.ALWAYS : new SharedLagPolling(vertx, lagPoller);
  }

  /** The view {@code GET /api/cluster} answers. */
  public JsonObject view() {
    return view == null ? new JsonObject().put("clustered", clustered()) : view.current();
  }

  /**
   * Gives up the work done for the cluster and this member's part of the view; before Vert.x
   * closes.
   */
  public void leave() {
    if (manager != null && vertx != null) {
      if (lagPoller != null) {
        lagPoller.close();
      }
      if (view != null) {
        view.remove(node());
      }
    }
  }

  private String node() {
    return manager == null ? "local" : manager.getNodeId();
  }

  private String nodeName() {
    return manager == null ? ClusterSettings.hostName() : settings.nodeName();
  }

  /** Where the other members reach this one (the Hazelcast member's address). */
  private String address() {
    return manager == null
        ? null
        : manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().toString();
  }

  /**
   * Logs the members that join and leave, which Hazelcast itself does only below pyrogate's level.
   */
  private static final class MembershipLog implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent e) {
      LOG.info(
          "cluster member joined: {}; {} member(s)",
          e.getMember().getAddress(),
          e.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent e) {
      LOG.info(
          "cluster member left: {}; {} member(s)",
          e.getMember().getAddress(),
          e.getMembers().size());
    }
  }
}
