package io.pyrogate.cluster;

import io.pyrogate.delivery.SharedBackOff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's {@link SharedBackOff} in cluster mode: announcements are published on the event bus
 * at an address of the endpoint (write component and endpoint name, as its consumer group), which
 * every member delivering to it listens on, this one too. A message carries a wait, not a time, so
 * members' clocks need not agree. Only control travels here; profiles stay in Kafka.
 */
final class EventBusBackOff implements SharedBackOff {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusBackOff.class);
  static final String ADDRESS_PREFIX = "pyrogate.endpoint.backoff/";

  private final Vertx vertx;
  private final String address;
  private final String node;
  private final String nodeName;
  private final String describe;

  /**
   * @param node this member's id: its own announcements are not logged as another's
   */
  EventBusBackOff(Vertx vertx, String write, String endpoint, String node, String nodeName) {
    this.vertx = vertx;
    this.address = ADDRESS_PREFIX + write + "/" + endpoint;
    this.node = node;
    this.nodeName = nodeName;
    this.describe = "pyroscope.write \"" + write + "\" endpoint \"" + endpoint + "\"";
  }

  @Override
  public Future<Void> listen(Vertx vertx, Consumer<Duration> hold) {
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                address,
                message -> {
                  JsonObject m = message.body();
                  Duration wait = Duration.ofMillis(m.getLong("waitMs", 0L));
                  if (!node.equals(m.getString("node"))) {
                    if (wait.isZero()) {
                      LOG.info(
                          "{}: released by member {}: {}",
                          describe,
                          m.getString("nodeName"),
                          m.getString("reason"));
                    } else {
                      LOG.info(
                          "{}: held {} ms by member {}: {}",
                          describe,
                          wait.toMillis(),
                          m.getString("nodeName"),
                          m.getString("reason"));
                    }
                  }
                  hold.accept(wait);
                });
    return consumer.completion();
  }

  @Override
  public void announce(Duration wait, String reason) {
    vertx
        .eventBus()
        .publish(
            address,
            new JsonObject()
                .put("node", node)
                .put("nodeName", nodeName)
                .put("waitMs", wait.toMillis())
                .put("reason", reason));
  }
}
