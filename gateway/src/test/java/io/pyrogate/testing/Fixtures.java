package io.pyrogate.testing;

import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the test extensions share: fixtures closed when the context that asked for them ends. */
final class Fixtures {
  private Fixtures() {}

  /**
   * Keeps {@code fixture} in {@code context}'s store, which closes it when the test method (or the
   * class, for {@code @BeforeAll}) is done; returns it.
   */
  static <T extends AutoCloseable> T closedAfter(
      ExtensionContext context, ExtensionContext.Namespace namespace, T fixture) {
    context.getStore(namespace).put(UUID.randomUUID(), fixture);
    return fixture;
  }
}
