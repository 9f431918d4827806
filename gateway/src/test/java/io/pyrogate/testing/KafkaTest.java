package io.pyrogate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs the real Kafka broker: tagged {@code kafka} (left out of {@code mvn
 * -Pfast}), with {@link TestKafka} handles injected by {@link KafkaExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("kafka")
@ExtendWith(KafkaExtension.class)
public @interface KafkaTest {}
