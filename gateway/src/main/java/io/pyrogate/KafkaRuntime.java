package io.pyrogate;

import static io.pyrogate.Blocking.await;
import static io.pyrogate.Blocking.quietly;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.kafka.EmbeddedBrokerSupervisor;
import io.pyrogate.kafka.KafkaClients;
import io.pyrogate.kafka.Producers;
import io.pyrogate.ops.Health;
import io.pyrogate.ops.KafkaProbe;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka pyrogate runs with — the user's cluster, or the embedded broker kept serving by its
 * supervisor — and what every component shares to talk to it: the client settings, the admin
 * client, the producers, and the probe that tells readiness whether Kafka answers. It stops in two
 * steps around Vert.x's close: the clients before, the broker after.
 */
final class KafkaRuntime {
  private final Vertx vertx;
  private StorageLock storageLock;

  /** The embedded broker's supervisor; null when Kafka is external. */
  private EmbeddedBrokerSupervisor embedded;

  private KafkaSettings configured;
  private KafkaSettings settings;
  private KafkaClients clients;
  private Admin admin;
  private Producers producers;
  private KafkaProbe probe;

  KafkaRuntime(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Starts the embedded broker, or settles on the user's cluster; creates the clients and asks
   * Kafka once whether it answers, so that readiness and ingest know before ingest takes its first
   * request. Whatever it started is stopped by {@link #closeClients()} and {@link #stopBroker()},
   * also when it failed part way.
   */
  void start(KafkaSettings configured, Path storagePath, int ingestInstances, Health health) {
    this.configured = configured;
    settings = configured;
    if (configured.embedded()) {
      // Before the broker opens any file there: a second instance must not touch a running
      // broker's log.
      storageLock = StorageLock.acquire(storagePath);
      embedded =
          EmbeddedBrokerSupervisor.start(
              vertx,
              storagePath.resolve("kafka"),
              configured.embeddedHost(),
              configured.embeddedPort());
      settings = configured.withBootstrapServers(embedded.bootstrapServers());
    }
    clients = new KafkaClients(settings);
    admin = Admin.create(clients.admin());
    // Two producers: the broker handles one request per connection at a time, so one shared
    // producer serialised every event loop's writes (scripts/bench: ingest +10-15 % with two).
    // Not one per core: each keeps up to buffer.memory (64 MiB) of pooled batch buffers.
    producers = new Producers(vertx, clients.producer(), Math.min(2, ingestInstances));
    probe =
        new KafkaProbe(
            vertx, admin, health, embedded == null ? Optional::empty : embedded::failure);
    probe.checkNow();
  }

  /**
   * From now on, until {@link #stopWatching()}: the probe every 2 s, and the embedded broker
   * restarted after a fault.
   */
  void watch() {
    probe.start();
    if (embedded != null) {
      embedded.supervise(probe::check);
    }
  }

  /** The kafka block as configured. */
  KafkaSettings configured() {
    return configured;
  }

  /** The settings in use: the embedded broker's address in place of the configured one. */
  KafkaSettings settings() {
    return settings;
  }

  KafkaClients clients() {
    return clients;
  }

  Admin admin() {
    return admin;
  }

  Producers producers() {
    return producers;
  }

  /** No probe and no broker restart from now on: pyrogate is stopping. */
  void stopWatching() {
    if (embedded != null) {
      embedded.stopSupervising();
    }
    if (probe != null) {
      probe.close();
    }
  }

  /** Flushes and closes the producers, then closes the admin client. */
  void closeClients() {
    if (producers != null) {
      quietly("close producer", () -> await(producers.close(10_000)));
    }
    if (admin != null) {
      quietly("close admin", () -> admin.close(Duration.ofSeconds(5)));
    }
  }

  /** Stops the embedded broker, if any, and lets go of the storage path; after Vert.x closed. */
  void stopBroker() {
    if (embedded != null) {
      quietly("stop embedded Kafka", embedded::close);
    }
    if (storageLock != null) {
      storageLock.close();
    }
  }
}
