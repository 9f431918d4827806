package io.pyrogate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast member and the Vert.x event bus of cluster mode, configured in code from {@link
 * ClusterSettings}: Vert.x's own Hazelcast defaults (the maps, multimaps and semaphores it needs),
 * then a TCP/IP member list from the join addresses (each name resolved to all its addresses, as a
 * Kubernetes headless service gives every pod's), no multicast nor auto-detection, the advertised
 * address as the member's public one (and the only one it listens on when it is local), a few ports
 * from 5701, failure detection in seconds, and Hazelcast logging through slf4j.
 */
final class HazelcastSetup {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);

  /** Heartbeats every second; a member silent this long is removed and its work taken over. */
  static final int MAX_NO_HEARTBEAT_SECONDS = 5;

  private HazelcastSetup() {}

  /** The Hazelcast configuration of a member of cluster {@code clusterName}. */
  static Config config(ClusterSettings settings, String clusterName) {
    // Also for the loggers Hazelcast creates before it reads its configuration.
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setInstanceName("pyrogate-" + settings.nodeName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // pyrogate stops Vert.x (and with it Hazelcast) in its own order.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
    // The first member waits this long for others before forming a cluster of its own.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Members that started apart (their join addresses did not resolve yet) merge soon.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    NetworkConfig network = config.getNetworkConfig();
    ClusterSettings.Address advertise = settings.advertise();
    int port =
        advertise == null || advertise.port() == 0
            ? ClusterSettings.DEFAULT_PORT
            : advertise.port();
    network
        .setPort(port)
        .setPortCount(ClusterSettings.PORT_COUNT)
        .setPortAutoIncrement(advertise == null || advertise.port() == 0);
    if (advertise != null) {
      InetAddress ip = resolve(advertise.host(), "--cluster.advertise-address");
      network.setPublicAddress(hostPort(ip.getHostAddress(), port));
      if (isLocal(ip)) {
        config.setProperty("hazelcast.socket.bind.any", "false");
        network.getInterfaces().setEnabled(true).setInterfaces(List.of(ip.getHostAddress()));
      }
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    TcpIpConfig tcp =
        join.getTcpIpConfig()
            .setEnabled(true)
            .setMembers(members(settings))
            // How long a join waits for the members it is given: a lone first member starts then.
            .setConnectionTimeoutSeconds(3);
    LOG.debug("Hazelcast members to join: {}", tcp.getMembers());
    return config;
  }

  /** The event bus listens where the member does, and is reached at the advertised host. */
  static void eventBus(EventBusOptions options, ClusterSettings settings) {
    options.setPort(settings.eventBusPort());
    if (settings.advertise() != null) {
      InetAddress ip = resolve(settings.advertise().host(), "--cluster.advertise-address");
      options.setHost(isLocal(ip) ? ip.getHostAddress() : "0.0.0.0");
      options.setClusterPublicHost(ip.getHostAddress());
    }
  }

  /**
   * Every address of every join address; a name that does not resolve (yet) is left out with a
   * warning: the members that are up find this one when they resolve it.
   */
  static List<String> members(ClusterSettings settings) {
    List<String> members = new ArrayList<>();
    for (ClusterSettings.Address a : settings.joinAddresses()) {
      try {
        for (InetAddress ip : InetAddress.getAllByName(a.host())) {
          members.add(
              a.port() == 0
                  ? bracketed(ip.getHostAddress())
                  : hostPort(ip.getHostAddress(), a.port()));
        }
      } catch (UnknownHostException e) {
        LOG.warn(
            "--cluster.join-addresses: {} does not resolve (yet); joining the other addresses", a);
      }
    }
    return members;
  }

  private static InetAddress resolve(String host, String flag) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(flag + ": cannot resolve \"" + host + "\"", e);
    }
  }

  private static boolean isLocal(InetAddress ip) {
    try {
      return ip.isLoopbackAddress() || NetworkInterface.getByInetAddress(ip) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static String hostPort(String ip, int port) {
    return bracketed(ip) + ":" + port;
  }

  private static String bracketed(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }
}
