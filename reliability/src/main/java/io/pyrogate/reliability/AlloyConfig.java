package io.pyrogate.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * The Alloy configuration of a pyrogate process under test: a {@code kafka} block (the embedded
 * broker on a given port, or {@code bootstrap_servers}), one {@code pyroscope.receive_http "rel"}
 * on 127.0.0.1 forwarding to {@code pyroscope.write "rel"}, and that write's endpoints. Extra lines
 * go into each block as given.
 */
public final class AlloyConfig {
  /** The write component's label; its topic is {@code pyrogate.write.rel}. */
  public static final String WRITE = "rel";

  public static final String TOPIC = "pyrogate.write." + WRITE;
  public static final String DLQ_TOPIC = TOPIC + ".dlq";

  private final int ingestPort;
  private final String bootstrap;
  private final List<String> kafkaLines = new ArrayList<>();
  private final List<String> httpLines = new ArrayList<>();
  private final StringBuilder endpoints = new StringBuilder();

  private AlloyConfig(int ingestPort, String bootstrap, String kafkaLine) {
    this.ingestPort = ingestPort;
    this.bootstrap = bootstrap;
    kafkaLines.add(kafkaLine);
  }

  /** Ingest on {@code ingestPort}, the embedded broker on {@code kafkaPort}. */
  public static AlloyConfig embedded(int ingestPort, int kafkaPort) {
    return new AlloyConfig(
        ingestPort,
        "127.0.0.1:" + kafkaPort,
        "embedded_listen_address = \"127.0.0.1:" + kafkaPort + "\"");
  }

  /**
   * Ingest on {@code ingestPort}, the broker at {@code bootstrap} (a standalone broker process).
   */
  public static AlloyConfig external(int ingestPort, String bootstrap) {
    return new AlloyConfig(ingestPort, bootstrap, "bootstrap_servers = [\"" + bootstrap + "\"]");
  }

  /**
   * Adds a line to the {@code kafka} block, e.g. {@code consumer = { "max.poll.interval.ms" =
   * "10000" }}.
   */
  public AlloyConfig kafka(String line) {
    kafkaLines.add(line);
    return this;
  }

  /** Adds a line to the receiver's {@code http} block, e.g. {@code conn_limit = 20}. */
  public AlloyConfig http(String line) {
    httpLines.add(line);
    return this;
  }

  /** Adds an endpoint named {@code name} at {@code url} with extra lines (arguments and blocks). */
  public AlloyConfig endpoint(String name, String url, String... lines) {
    endpoints
        .append("  endpoint {\n    name = \"")
        .append(name)
        .append("\"\n    url  = \"")
        .append(url)
        .append("\"\n");
    for (String l : lines) {
      endpoints.append("    ").append(l).append('\n');
    }
    endpoints.append("  }\n");
    return this;
  }

  /** Adds an endpoint for {@code e}, named and addressed as it is. */
  public AlloyConfig endpoint(RecordingEndpoint e, String... lines) {
    return endpoint(e.name(), e.url(), lines);
  }

  public int ingestPort() {
    return ingestPort;
  }

  /** Where the broker of this configuration listens. */
  public String bootstrap() {
    return bootstrap;
  }

  public String render() {
    StringBuilder b = new StringBuilder("kafka {\n");
    kafkaLines.forEach(l -> b.append("  ").append(l).append('\n'));
    b.append("}\n\npyroscope.receive_http \"")
        .append(WRITE)
        .append("\" {\n  http {\n    listen_address = \"127.0.0.1\"\n")
        .append("    listen_port    = ")
        .append(ingestPort)
        .append('\n');
    httpLines.forEach(l -> b.append("    ").append(l).append('\n'));
    b.append("  }\n  forward_to = [pyroscope.write.").append(WRITE).append(".receiver]\n}\n\n");
    b.append("pyroscope.write \"").append(WRITE).append("\" {\n").append(endpoints).append("}\n");
    return b.toString();
  }
}
