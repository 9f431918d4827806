package io.pyrogate.ops;

import java.util.Optional;

/**
 * What /-/ready reports: ready only once every component is deployed and while Kafka answers. Starts not
 * ready; liveness (/-/healthy) is separate and only says the process serves HTTP.
 */
public final class Health {
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

  /** Why pyrogate is not ready, or empty when it is. */
  public Optional<String> notReady() {
    String s = startup;
    if (s != null) {
      return Optional.of(s);
    }
    return Optional.ofNullable(kafka);
  }
}
