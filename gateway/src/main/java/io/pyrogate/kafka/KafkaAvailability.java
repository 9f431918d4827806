package io.pyrogate.kafka;

import java.util.Optional;

/**
 * Whether Kafka takes writes now, as readiness reports it: what ingest consults before writing, so
 * that it answers 503 exactly while {@code /-/ready} does, and what it tells when Kafka failed a
 * write.
 */
public interface KafkaAvailability {
  /** Never unavailable: for a receiver whose writes nothing else reports on. */
  KafkaAvailability ALWAYS =
      new KafkaAvailability() {
        @Override
        public Optional<String> unavailable() {
          return Optional.empty();
        }

        @Override
        public void writeFailed(String reason) {}
      };

  /** Why Kafka does not take writes now, or empty when it does. */
  Optional<String> unavailable();

  /** Kafka did not acknowledge a write; unavailable until Kafka is seen answering again. */
  void writeFailed(String reason);
}
