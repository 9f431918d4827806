package io.pyrogate.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cluster mode as {@code pyrogate run} was asked for it with Alloy's {@code --cluster.*} flags:
 * whether it is on, this member's name, the address the others reach it at, whom to join, and the
 * cluster's name. {@link #parse} validates the flags' text and says what is wrong in terms of the
 * flag; {@link #DISABLED} is an instance on its own, as without the flags.
 *
 * @param nodeName how the cluster view names this member (default: the host name, as Alloy's)
 * @param advertise the address the other members reach this one at, and the one it listens on; null
 *     lets Hazelcast pick an interface, on {@link #DEFAULT_PORT}
 * @param joinAddresses the members to join; a name is resolved to all its addresses (a Kubernetes
 *     headless service: every pod); empty for the first member of a cluster
 * @param name the cluster's name, which keeps apart clusters that can reach each other; null for
 *     the default derived from the configuration ({@link #nameFor})
 * @param eventBusPort the port of the Vert.x event bus between members; 0 for any free port
 */
public record ClusterSettings(
    boolean enabled,
    String nodeName,
    Address advertise,
    List<Address> joinAddresses,
    String name,
    int eventBusPort) {

  /** Hazelcast's port when none is given; the next {@link #PORT_COUNT} - 1 ports are tried too. */
  public static final int DEFAULT_PORT = 5701;

  /**
   * How many ports from {@link #DEFAULT_PORT} a member may take, and a join address is tried at.
   */
  public static final int PORT_COUNT = 3;

  /** An instance on its own: no cluster. */
  public static final ClusterSettings DISABLED =
      new ClusterSettings(false, null, null, List.of(), null, 0);

  /**
   * A host and port.
   *
   * @param port 0 when none was given: {@link #DEFAULT_PORT} and the following ones
   */
  public record Address(String host, int port) {
    @Override
    public String toString() {
      String h = host.contains(":") ? "[" + host + "]" : host;
      return port == 0 ? h : h + ":" + port;
    }
  }

  public ClusterSettings {
    joinAddresses = List.copyOf(joinAddresses);
  }

  /**
   * The settings the flags ask for; a flag that is null was not given.
   *
   * @throws IllegalArgumentException naming the flag and what is wrong with its value
   */
  public static ClusterSettings parse(
      boolean enabled,
      String nodeName,
      String advertiseAddress,
      String joinAddresses,
      String name,
      Integer eventBusPort) {
    if (!enabled) {
      for (String[] flag :
          new String[][] {
            {"--cluster.node-name", nodeName},
            {"--cluster.advertise-address", advertiseAddress},
            {"--cluster.join-addresses", joinAddresses},
            {"--cluster.name", name},
            {"--cluster.event-bus-port", eventBusPort == null ? null : eventBusPort.toString()}
          }) {
        if (flag[1] != null) {
          throw new IllegalArgumentException(
              flag[0] + " needs --cluster.enabled: without it pyrogate runs on its own");
        }
      }
      return DISABLED;
    }
    if (nodeName != null && nodeName.isBlank()) {
      throw new IllegalArgumentException("--cluster.node-name: must not be empty");
    }
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("--cluster.name: must not be empty");
    }
    if (eventBusPort != null && (eventBusPort < 0 || eventBusPort > 65535)) {
      throw new IllegalArgumentException(
          "--cluster.event-bus-port: must be within 0-65535, got " + eventBusPort);
    }
    Address advertise = null;
    if (advertiseAddress != null) {
      try {
        advertise = address(advertiseAddress);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--cluster.advertise-address: " + e.getMessage(), e);
      }
    }
    List<Address> join = new ArrayList<>();
    if (joinAddresses != null) {
      for (String part : joinAddresses.split(",", -1)) {
        try {
          join.add(address(part.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--cluster.join-addresses: "
                  + e.getMessage()
                  + " (a comma-separated host[:port] list)",
              e);
        }
      }
    }
    return new ClusterSettings(
        true,
        nodeName == null ? hostName() : nodeName.trim(),
        advertise,
        join,
        name == null ? null : name.trim(),
        eventBusPort == null ? 0 : eventBusPort);
  }

  /**
   * The cluster's name: the one given, else one derived from the topic prefix, so that pyrogates
   * sharing topics (and consumer groups) share their cluster and others stay apart.
   */
  public String nameFor(String topicPrefix) {
    return name != null ? name : topicPrefix + "cluster";
  }

  /** host, host:port, [v6], [v6]:port. */
  static Address address(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("expected host[:port], got an empty address");
    }
    String host = s;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || (close < s.length() - 1 && s.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException("expected [IPv6]:port, got \"" + s + "\"");
      }
      host = s.substring(1, close);
      port = close < s.length() - 1 ? s.substring(close + 2) : null;
    } else if (s.indexOf(':') >= 0) {
      if (s.indexOf(':') != s.lastIndexOf(':')) {
        throw new IllegalArgumentException(
            "an IPv6 address needs brackets, e.g. [" + s + "]:5701, got \"" + s + "\"");
      }
      host = s.substring(0, s.indexOf(':'));
      port = s.substring(s.indexOf(':') + 1);
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("expected host[:port], got \"" + s + "\"");
    }
    if (port == null) {
      return new Address(host, 0);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "port must be a number, got \"" + port + "\" in \"" + s + "\"");
    }
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port must be within 1-65535, got " + p);
    }
    return new Address(host, p);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "pyrogate" : env;
    }
  }
}
