package io.pyrogate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs gateways: a {@link KafkaTest} with {@link GatewayUnderTest} and {@link
 * FakePyroscope} injected by {@link GatewayExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@KafkaTest
@ExtendWith(GatewayExtension.class)
public @interface GatewayTest {}
