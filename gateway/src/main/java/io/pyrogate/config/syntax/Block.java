package io.pyrogate.config.syntax;

import java.util.List;

/**
 * {@code pyroscope.write "staging" { ... }}: a dotted name, an optional label and a body.
 *
 * @param name the name fragments, e.g. {@code ["pyroscope", "write"]}
 * @param label the label without quotes, {@code null} when there is none ({@code ""} when written
 *     as {@code ""})
 * @param labelPosition position of the label's opening quote, {@code null} when there is no label
 */
public record Block(
    List<String> name, String label, Position labelPosition, Body body, Position position)
    implements Statement {

  public Block {
    name = List.copyOf(name);
  }

  /** The dotted name, e.g. {@code "pyroscope.write"}. */
  public String fullName() {
    return String.join(".", name);
  }
}
