package io.pyrogate.config.syntax;

import java.util.List;

/**
 * An array; elements may be {@link ReferenceValue}s (e.g. {@code forward_to =
 * [pyroscope.write.a.receiver]}).
 */
public record ArrayValue(List<Value> elements, Position position) implements Value {
  public ArrayValue {
    elements = List.copyOf(elements);
  }
}
