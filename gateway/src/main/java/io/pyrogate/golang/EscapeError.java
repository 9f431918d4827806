package io.pyrogate.golang;

/**
 * Go's {@code url.EscapeError}: a malformed percent escape, with Go's message {@code invalid URL
 * escape "%zz"}.
 */
public final class EscapeError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param escape the bad escape: the {@code %} and at most the two characters after it
   */
  public EscapeError(String escape) {
    super("invalid URL escape " + Strconv.quote(escape));
  }
}
