package io.pyrogate.ops;

import io.pyrogate.kafka.KafkaAvailability;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What /-/ready reports: ready only once every component is deployed and while Kafka answers.
 * Starts not ready; liveness (/-/healthy) is separate and only says the process serves HTTP. Ingest
 * consults the same Kafka state ({@link KafkaAvailability}), so it answers 503 exactly while
 * readiness names a Kafka problem. Logs Kafka becoming unreachable and reachable again, once each.
 */
public final class Health implements KafkaAvailability {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);
  private final AtomicBoolean reportedUnreachable = new AtomicBoolean();
  private volatile String startup = "starting";
  private volatile String kafka = "Kafka not checked yet";

  /** All components deployed: startup is over. */
  public void started() {
    startup = null;
  }

  public void stopping() {
    startup = "stopping";
  }

  public void kafkaReachable() {
    kafka = null;
    if (reportedUnreachable.compareAndSet(true, false)) {
      LOG.info("Kafka reachable again");
    }
  }

  public void kafkaUnreachable(String reason) {
    kafka = reason;
    if (reportedUnreachable.compareAndSet(false, true)) {
      LOG.warn("{}; not ready until it answers", reason);
    }
  }

  @Override
  public Optional<String> unavailable() {
    return Optional.ofNullable(kafka);
  }

  @Override
  public void writeFailed(String reason) {
    kafka = "Kafka did not acknowledge a write: " + reason;
  }

  /** Why pyrogate is not ready, or empty when it is. */
  public Optional<String> notReady() {
    String s = startup;
    if (s != null) {
      return Optional.of(s);
    }
    return Optional.ofNullable(kafka);
  }
}
