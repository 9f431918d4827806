package io.pyrogate.testing;

import io.pyrogate.kafka.KafkaDefaults;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer with pyrogate's settings in a JVM of its own, for a test to kill without any goodbye
 * to the group (as kill -9 does): joins {@code group} on {@code topic}, prints {@link #ASSIGNED}
 * once it has partitions, and polls until killed. Arguments: bootstrap servers, group, topic.
 */
public final class CrashingConsumer {
  public static final String ASSIGNED = "crashing-consumer: assigned";

  private CrashingConsumer() {}

  public static void main(String[] args) {
    Map<String, Object> config = new HashMap<>(KafkaDefaults.consumer(args[0], args[1]));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(
          List.of(args[2]),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              if (!partitions.isEmpty()) {
                System.out.println(ASSIGNED);
                System.out.flush();
              }
            }
          });
      while (true) {
        consumer.poll(Duration.ofMillis(200));
      }
    }
  }
}
