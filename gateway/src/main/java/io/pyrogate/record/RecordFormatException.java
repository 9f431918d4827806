package io.pyrogate.record;

/**
 * A Kafka record that does not follow schemas/kafka-record.md; it goes to the dead-letter topic.
 */
public class RecordFormatException extends RuntimeException {
  public RecordFormatException(String message) {
    super(message);
  }
}
