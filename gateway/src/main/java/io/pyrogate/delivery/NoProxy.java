package io.pyrogate.delivery;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code no_proxy} / {@code NO_PROXY} list with the semantics of Go's {@code
 * golang.org/x/net/http/httpproxy}, which Alloy uses: comma-separated entries, each an IP, a CIDR,
 * or a domain, IPs and domains optionally with {@code :port}; {@code example.com} matches it and
 * its subdomains, {@code .example.com} (or {@code *.example.com}) only subdomains; {@code *}
 * matches everything. As in Go, {@code localhost} and loopback addresses never go through the proxy
 * when such a list is in use.
 */
final class NoProxy {
  private final boolean all;
  private final List<IpRule> ips;
  private final List<DomainRule> domains;

  private record IpRule(byte[] network, int prefixBits, String port) {
    boolean matches(byte[] address, String p) {
      if (address.length != network.length) {
        return false;
      }
      if (port != null && !port.equals(p)) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * @param suffix the domain with a leading dot; {@code matchHost}: the domain itself matches too
   */
  private record DomainRule(String suffix, boolean matchHost, String port) {
    boolean matches(String host, String p) {
      boolean hostMatches =
          host.endsWith(suffix) || (matchHost && host.equals(suffix.substring(1)));
      return hostMatches && (port == null || port.equals(p));
    }
  }

  private NoProxy(boolean all, List<IpRule> ips, List<DomainRule> domains) {
    this.all = all;
    this.ips = List.copyOf(ips);
    this.domains = List.copyOf(domains);
  }

  static NoProxy parse(String list) {
    List<IpRule> ips = new ArrayList<>();
    List<DomainRule> domains = new ArrayList<>();
    if (list == null) {
      return new NoProxy(false, ips, domains);
    }
    for (String raw : list.split(",")) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return new NoProxy(true, List.of(), List.of());
      }
      IpRule cidr = cidr(entry);
      if (cidr != null) {
        ips.add(cidr);
        continue;
      }
      String host = entry;
      String port = null;
      String[] hostPort = splitHostPort(entry);
      if (hostPort != null) {
        if (hostPort[0].isEmpty()) {
          continue; // ":80" names no host; Go ignores it too
        }
        host = hostPort[0];
        port = hostPort[1];
      }
      byte[] ip = ipLiteral(host);
      if (ip != null) {
        ips.add(new IpRule(ip, ip.length * 8, port));
        continue;
      }
      if (host.startsWith("*.")) {
        host = host.substring(1);
      }
      boolean matchHost = !host.startsWith(".");
      if (matchHost) {
        host = "." + host;
      }
      domains.add(new DomainRule(ascii(host), matchHost, port));
    }
    return new NoProxy(false, ips, domains);
  }

  /**
   * Whether a request to {@code host:port} goes direct.
   *
   * @param host the URL's host (IPv6 with or without brackets)
   */
  boolean bypasses(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT).strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    byte[] ip = ipLiteral(h);
    if (ip != null && isLoopback(ip)) {
      return true;
    }
    if (all) {
      return true;
    }
    String p = Integer.toString(port);
    if (ip != null) {
      for (IpRule r : ips) {
        if (r.matches(ip, p)) {
          return true;
        }
      }
    }
    for (DomainRule r : domains) {
      if (r.matches(h, p)) {
        return true;
      }
    }
    return false;
  }

  private static IpRule cidr(String entry) {
    int slash = entry.indexOf('/');
    if (slash < 0) {
      return null;
    }
    byte[] ip = ipLiteral(entry.substring(0, slash));
    if (ip == null) {
      return null;
    }
    int bits;
    try {
      bits = Integer.parseInt(entry.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (bits < 0 || bits > ip.length * 8) {
      return null;
    }
    return new IpRule(ip, bits, null);
  }

  /**
   * Go's net.SplitHostPort: {@code host:port} or {@code [v6]:port}; null when the entry has no
   * port.
   */
  private static String[] splitHostPort(String s) {
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        return null;
      }
      return new String[] {s.substring(1, close), s.substring(close + 2)};
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) {
      return null; // no port, or a bare IPv6 address
    }
    return new String[] {s.substring(0, colon), s.substring(colon + 1)};
  }

  /**
   * The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4, as Go compares them); null
   * otherwise.
   */
  static byte[] ipLiteral(String s) {
    if (s.isEmpty()) {
      return null;
    }
    boolean v4 =
        s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
            && s.chars().filter(c -> c == '.').count() == 3;
    boolean v6 =
        s.indexOf(':') >= 0
            && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    if (!v4 && !v6) {
      return null;
    }
    if (v4) {
      for (String part : s.split("\\.", -1)) {
        if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
          return null;
        }
      }
    }
    try {
      // Only literals reach here, so this never looks a name up.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isLoopback(byte[] ip) {
    if (ip.length == 4) {
      return ip[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[15] == 1;
  }

  private static String ascii(String domain) {
    try {
      return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return domain;
    }
  }
}
