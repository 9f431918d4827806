package io.pyrogate.config.syntax;

import java.util.LinkedHashMap;

/**
 * An object; keys in source order. The record owns its map: the constructor copies the argument and
 * {@link #fields()} returns a copy, so an {@code ObjectValue} never changes.
 */
public record ObjectValue(LinkedHashMap<String, Value> fields, Position position) implements Value {

  public ObjectValue {
    fields = new LinkedHashMap<>(fields);
  }

  @Override
  public LinkedHashMap<String, Value> fields() {
    return new LinkedHashMap<>(fields);
  }

  /**
   * The value of {@code key}, or {@code null} when absent (cheaper than {@code fields().get(key)}).
   */
  public Value get(String key) {
    return fields.get(key);
  }

  public boolean has(String key) {
    return fields.containsKey(key);
  }

  public int size() {
    return fields.size();
  }
}
