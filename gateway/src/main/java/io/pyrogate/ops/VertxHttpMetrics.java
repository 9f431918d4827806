package io.pyrogate.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Vert.x's own HTTP metrics ({@code vertx_http_server_*} for the ingest and management ports,
 * {@code vertx_http_client_*} for the requests to endpoints), recorded into pyrogate's registry so
 * {@code /metrics} serves them beside the rest. Only the HTTP domains, with labels of bounded
 * cardinality: the local address of servers (which port), method, status code and vertx-web route;
 * the remote address of clients (the endpoint's host and port), never a server's (one series per
 * client): {@link #FILTER} drops the others.
 */
public final class VertxHttpMetrics {
  /**
   * Drops the labels a domain should not have: a server's remote address, a client's local one
   * (which Vert.x reports as "?"); and the gauges (active requests and connections): each server
   * instance of the ingest port, and each client an endpoint had, registers its own under the same
   * name and labels, so the registry would keep only the first one's (and warn). A filter of the
   * registry, which Micrometer wants configured before any meter is registered.
   */
  public static final MeterFilter FILTER =
      new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
          return id.getType() == Meter.Type.GAUGE && id.getName().startsWith("vertx.http.")
              ? MeterFilterReply.DENY
              : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
          if (id.getName().startsWith("vertx.http.server.")) {
            return without(id, Label.REMOTE);
          }
          if (id.getName().startsWith("vertx.http.client.")) {
            return without(id, Label.LOCAL);
          }
          return id;
        }
      };

  private VertxHttpMetrics() {}

  private static Meter.Id without(Meter.Id id, Label label) {
    List<Tag> tags = new ArrayList<>();
    for (Tag tag : id.getTagsAsIterable()) {
      if (!tag.getKey().equals(label.toString())) {
        tags.add(tag);
      }
    }
    return id.replaceTags(tags);
  }

  /**
   * A builder of a Vert.x with {@code options} whose HTTP servers and clients record into {@code
   * metrics}: {@code build()} it, or add a cluster manager and {@code buildClustered()} it.
   */
  public static VertxBuilder builder(VertxOptions options, Metrics metrics) {
    MicrometerMetricsOptions metricsOptions =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(
                EnumSet.of(
                    Label.LOCAL,
                    Label.REMOTE,
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.HTTP_ROUTE));
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (domain != MetricsDomain.HTTP_SERVER && domain != MetricsDomain.HTTP_CLIENT) {
        metricsOptions.addDisabledMetricsCategory(domain);
      }
    }
    return Vertx.builder()
        .with(options.setMetricsOptions(metricsOptions))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
  }
}
