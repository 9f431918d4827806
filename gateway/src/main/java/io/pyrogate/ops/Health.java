package io.pyrogate.ops;

import io.pyrogate.kafka.KafkaAvailability;
import java.util.Optional;

/**
 * What /-/ready reports: ready only once every component is deployed and while Kafka answers.
 * Starts not ready; liveness (/-/healthy) is separate and only says the process serves HTTP. Ingest
 * consults the same Kafka state ({@link KafkaAvailability}), so it answers 503 exactly while
 * readiness names a Kafka problem.
 */
public final class Health implements KafkaAvailability {
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
  }

  public void kafkaUnreachable(String reason) {
    kafka = reason;
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
