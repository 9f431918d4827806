package io.pyrogate.golang;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's {@code path/filepath} on a Unix system: {@code Join} and {@code Clean}. */
public final class FilePath {
  private FilePath() {}

  /**
   * {@code filepath.Join}: the non-empty elements joined by '/', then cleaned; "" when all are
   * empty.
   */
  public static String join(String... elements) {
    StringBuilder sb = new StringBuilder();
    for (String e : elements) {
      if (!e.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('/');
        }
        sb.append(e);
      }
    }
    return sb.length() == 0 ? "" : clean(sb.toString());
  }

  /** {@code filepath.Clean}: the shortest equivalent path, "." for an empty one. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
