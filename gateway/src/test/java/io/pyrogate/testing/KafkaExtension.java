package io.pyrogate.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link TestKafka} into test methods, constructors and {@code @BeforeAll} methods: a
 * handle on the JVM's one test broker with topics of its own, closed when the test (or, for
 * {@code @BeforeAll}, the class) is done. Used through {@link KafkaTest}. When the broker was asked
 * to run in a Kafka container and Docker is not usable, the tests are skipped with the reason
 * ({@link ContainerKafka}), never run against another broker.
 */
public final class KafkaExtension implements ParameterResolver, ExecutionCondition {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return ContainerKafka.unavailable()
        .map(ConditionEvaluationResult::disabled)
        .orElseGet(() -> ConditionEvaluationResult.enabled("the test broker can run"));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public TestKafka resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return Fixtures.closedAfter(context, NAMESPACE, TestKafka.handle());
  }
}
