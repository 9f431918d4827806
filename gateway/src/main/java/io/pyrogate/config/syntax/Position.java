package io.pyrogate.config.syntax;

/**
 * A place in a config file: 1-based line and column. Columns count Unicode code points, so a tab is
 * one column and "µ" is one column.
 */
public record Position(String file, int line, int column) implements Comparable<Position> {

  @Override
  public String toString() {
    return (file == null ? "" : file) + ":" + line + ":" + column;
  }

  /** Orders by file name, then line, then column. */
  @Override
  public int compareTo(Position other) {
    String a = file == null ? "" : file;
    String b = other.file == null ? "" : other.file;
    int c = a.compareTo(b);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(line, other.line);
    return c != 0 ? c : Integer.compare(column, other.column);
  }
}
