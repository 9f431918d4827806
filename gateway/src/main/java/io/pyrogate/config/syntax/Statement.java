package io.pyrogate.config.syntax;

/** A statement in a body: {@code name = value} or {@code a.b "label" { ... }}. */
public sealed interface Statement permits Attribute, Block {
  /** Position of the statement's first token (its name). */
  Position position();
}
