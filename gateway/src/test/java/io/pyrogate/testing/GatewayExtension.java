package io.pyrogate.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link GatewayUnderTest} (not started yet: the test gives it its configuration) and a
 * {@link FakePyroscope} endpoint into test methods, constructors and {@code @BeforeAll} methods;
 * both are stopped when the test (or, for {@code @BeforeAll}, the class) is done. Used through
 * {@link GatewayTest}.
 */
public final class GatewayExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GatewayExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == GatewayUnderTest.class || type == FakePyroscope.class;
  }

  @Override
  public AutoCloseable resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == FakePyroscope.class) {
      return Fixtures.closedAfter(context, NAMESPACE, new FakePyroscope());
    }
    return Fixtures.closedAfter(
        context, NAMESPACE, new GatewayUnderTest(TestKafka.handle(), TestGateways.tempDir()));
  }
}
