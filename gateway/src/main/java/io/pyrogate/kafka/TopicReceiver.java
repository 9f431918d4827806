package io.pyrogate.kafka;

import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.vertx.core.Future;

/**
 * The receiver a {@code pyroscope.write} component exports: writes the profile to the component's topic
 * and completes when Kafka acknowledged it (acks=all).
 */
public final class TopicReceiver implements ProfileReceiver {
  private final String name;
  private final String topic;
  private final Producers producer;

  public TopicReceiver(String name, String topic, Producers producer) {
    this.name = name;
    this.topic = topic;
    this.producer = producer;
  }

  @Override
  public String name() {
    return name;
  }

  public String topic() {
    return topic;
  }

  @Override
  public Future<Void> append(ProfileRecord record, String key) {
    return producer.send(RecordCodec.toKafka(topic, key, record)).mapEmpty();
  }
}
