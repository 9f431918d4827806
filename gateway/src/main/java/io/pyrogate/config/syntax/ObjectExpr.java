package io.pyrogate.config.syntax;

import java.util.List;

/** {@code { key = value, "quoted key" = value }}; fields in source order. */
public record ObjectExpr(List<Field> fields, Position position) implements Expr {
  public ObjectExpr {
    fields = List.copyOf(fields);
  }

  /** One {@code key = value}; {@code key} is unquoted even when written as a string. */
  public record Field(String key, Position keyPosition, Expr value) {}
}
