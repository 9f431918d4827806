package io.pyrogate.pyroscope;

/**
 * The tenant ID rules of a multi-tenant Pyroscope (dskit's {@code tenant.TenantID}, which its push
 * path applies to {@code X-Scope-OrgID}), with dskit's messages: each {@code |}-separated ID,
 * without its {@code :metadata} suffix, holds only {@code [A-Za-z0-9!-_.*'()]}, is at most 150
 * bytes and is not {@code .} or {@code ..}; a push names one tenant, so several different IDs are
 * refused.
 */
public final class TenantIds {
  public static final int MAX_LENGTH = 150;
  private static final String SPECIAL = "!-_.*'()";

  private TenantIds() {}

  /**
   * @return why Pyroscope refuses the org ID, or null when it accepts it
   */
  public static String problem(String orgId) {
    String first = null;
    boolean several = false;
    for (String part : orgId.split("\\|", -1)) {
      int colon = part.indexOf(':');
      String id = colon < 0 ? part : part.substring(0, colon);
      String invalid = invalid(id);
      if (invalid != null) {
        return invalid;
      }
      if (first == null) {
        first = id;
      } else if (!first.equals(id)) {
        several = true;
      }
    }
    return several ? "multiple org IDs present" : null;
  }

  private static String invalid(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!allowed(c)) {
        return "tenant ID '" + id + "' contains unsupported character '" + c + "'";
      }
    }
    if (id.length() > MAX_LENGTH) {
      return "tenant ID is too long: max " + MAX_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "tenant ID is '.' or '..'";
    }
    return null;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || SPECIAL.indexOf(c) >= 0;
  }
}
