package io.pyrogate.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the structure of a {@code multipart/form-data} body in place: where each part starts and
 * ends, and its form name and file name. Nothing is copied or decoded, so checking the shape of a
 * body costs one pass over bytes that are already held (and bounded by the body limit).
 *
 * <p>The grammar follows what Go's {@code mime/multipart} reader (which Pyroscope uses) accepts: a
 * preamble before the first delimiter line, CRLF or bare LF line ends, optional whitespace after a
 * delimiter, and an epilogue after the closing one.
 */
final class Multipart {
  /** At most this many parts, as Go's default {@code multipartmaxparts}. */
  static final int MAX_PARTS = 1000;

  private static final int MAX_HEADER_BLOCK = 16 * 1024;

  /**
   * One part: its form field name, its file name (null when it is a plain value) and its content
   * range.
   */
  record Part(String name, String fileName, int start, int end) {
    int length() {
      return end - start;
    }

    boolean isFile() {
      return fileName != null && !fileName.isEmpty();
    }
  }

  /** The body is not the multipart form its Content-Type announces. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private Multipart() {}

  /**
   * The boundary parameter of a multipart Content-Type.
   *
   * @throws MalformedException with Pyroscope's message when it has none or the header cannot be
   *     parsed
   */
  static String boundary(String contentType) throws MalformedException {
    Map<String, String> params = MediaType.parameters(contentType);
    String boundary = params.get("boundary");
    if (boundary == null) {
      throw new MalformedException("malformed multipart content type header");
    }
    if (boundary.isEmpty() || boundary.length() > 70) {
      throw new MalformedException("multipart: boundary is empty or longer than 70 characters");
    }
    return boundary;
  }

  /** Splits {@code body} into its parts. */
  static List<Part> parse(byte[] body, String boundary) throws MalformedException {
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = 0;
    // Preamble: skip lines until the first delimiter line.
    boolean crlf;
    while (true) {
      if (pos >= body.length) {
        throw new MalformedException("multipart: NextPart: EOF");
      }
      int lineEnd = indexOf(body, (byte) '\n', pos);
      int end = lineEnd < 0 ? body.length : lineEnd;
      if (startsWith(body, pos, dashBoundary)) {
        int after = pos + dashBoundary.length;
        if (isFinal(body, after)) {
          return Collections.emptyList(); // a form without parts
        }
        int k = skipWhitespace(body, after, end);
        if (lineEnd >= 0 && (k == lineEnd || (k == lineEnd - 1 && body[k] == '\r'))) {
          crlf = k == lineEnd - 1;
          pos = lineEnd + 1;
          break;
        }
      }
      if (lineEnd < 0) {
        throw new MalformedException("multipart: NextPart: EOF");
      }
      pos = lineEnd + 1;
    }
    byte[] delimiter = concat(crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'}, dashBoundary);
    List<Part> parts = new ArrayList<>();
    while (true) {
      if (parts.size() >= MAX_PARTS) {
        throw new MalformedException("multipart: message too large");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      pos = readHeaders(body, pos, headers);
      int start = pos;
      int end;
      int next;
      boolean last;
      int search = start;
      while (true) {
        int found = indexOf(body, delimiter, search);
        if (found < 0) {
          throw new MalformedException("unexpected EOF");
        }
        int after = found + delimiter.length;
        if (isFinal(body, after)) {
          end = found;
          next = body.length;
          last = true;
          break;
        }
        if (after < body.length
            && (body[after] == ' '
                || body[after] == '\t'
                || body[after] == '\r'
                || body[after] == '\n')) {
          int k = skipWhitespace(body, after, body.length);
          if (k < body.length && body[k] == '\n' && !crlf) {
            end = found;
            next = k + 1;
            last = false;
            break;
          }
          if (k + 1 < body.length && body[k] == '\r' && body[k + 1] == '\n') {
            end = found;
            next = k + 2;
            last = false;
            break;
          }
          throw new MalformedException("multipart: unexpected line after a boundary");
        }
        if (after >= body.length) {
          throw new MalformedException("unexpected EOF");
        }
        search = found + 1; // the delimiter bytes are part of the content
      }
      Disposition d = Disposition.of(headers.get("content-disposition"));
      if (d.name != null) {
        parts.add(new Part(d.name, d.fileName, start, end));
      }
      if (last) {
        return parts;
      }
      pos = next;
    }
  }

  /** The form-data parts named {@code name}, in order. */
  static List<Part> named(List<Part> parts, String name) {
    List<Part> out = new ArrayList<>();
    for (Part p : parts) {
      if (p.name().equals(name)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The content of the first file part named {@code name}, as Pyroscope's form reader takes it;
   * null when absent or empty.
   */
  static Part file(List<Part> parts, String name) {
    for (Part p : named(parts, name)) {
      if (p.isFile()) {
        return p.length() == 0 ? null : p;
      }
    }
    return null;
  }

  private static int readHeaders(byte[] body, int pos, Map<String, String> headers)
      throws MalformedException {
    int blockStart = pos;
    while (true) {
      if (pos - blockStart > MAX_HEADER_BLOCK) {
        throw new MalformedException("multipart: part headers too large");
      }
      int lineEnd = indexOf(body, (byte) '\n', pos);
      if (lineEnd < 0) {
        throw new MalformedException("unexpected EOF");
      }
      int end = lineEnd > pos && body[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
      if (end == pos) {
        return lineEnd + 1;
      }
      String line = new String(body, pos, end - pos, StandardCharsets.UTF_8);
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new MalformedException("malformed MIME header initial line: " + line);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedException("malformed MIME header line: " + line);
      }
      headers.putIfAbsent(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
      pos = lineEnd + 1;
    }
  }

  /**
   * Whether the delimiter ending just before {@code at} is the closing one ({@code --boundary--}).
   */
  private static boolean isFinal(byte[] body, int at) {
    return at + 1 < body.length && body[at] == '-' && body[at + 1] == '-';
  }

  private static int skipWhitespace(byte[] body, int from, int limit) {
    int k = from;
    while (k < limit && (body[k] == ' ' || body[k] == '\t')) {
      k++;
    }
    return k;
  }

  private static boolean startsWith(byte[] body, int at, byte[] prefix) {
    if (at + prefix.length > body.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte b, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * First occurrence of {@code needle} at or after {@code from}: Boyer-Moore-Horspool, which skips
   * up to the delimiter's length at each step. Profiles are binary, so the delimiter's first byte
   * occurs every ~256 bytes and a byte-by-byte scan was the most expensive step of accepting an
   * upload.
   */
  private static int indexOf(byte[] body, byte[] needle, int from) {
    int n = needle.length;
    int[] shift = new int[256];
    Arrays.fill(shift, n);
    for (int i = 0; i < n - 1; i++) {
      shift[needle[i] & 0xFF] = n - 1 - i;
    }
    int last = body.length - n;
    int i = from;
    while (i <= last) {
      int j = n - 1;
      while (body[i + j] == needle[j]) {
        if (j == 0) {
          return i;
        }
        j--;
      }
      i += shift[body[i + n - 1] & 0xFF];
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A part's Content-Disposition: its form name (only for {@code form-data}) and file name. */
  private record Disposition(String name, String fileName) {
    static Disposition of(String header) throws MalformedException {
      if (header == null) {
        return new Disposition(null, null);
      }
      String type = MediaType.type(header);
      Map<String, String> params = MediaType.parameters(header);
      if (!"form-data".equals(type)) {
        return new Disposition(null, null);
      }
      String name = params.get("name");
      String fileName =
          params.containsKey("filename") ? params.get("filename") : params.get("filename*");
      return new Disposition(name == null || name.isEmpty() ? null : name, fileName);
    }
  }

  /** A media type or disposition header: {@code type; key=value; key="quoted value"}. */
  static final class MediaType {
    private MediaType() {}

    static String type(String header) {
      int semi = header.indexOf(';');
      return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The parameters with lower-case keys. */
    static Map<String, String> parameters(String header) throws MalformedException {
      Map<String, String> params = new LinkedHashMap<>();
      int semi = header.indexOf(';');
      if (semi < 0) {
        return params;
      }
      int i = semi + 1;
      int n = header.length();
      while (i < n) {
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
          i++;
        }
        if (i == n) {
          break;
        }
        int keyStart = i;
        while (i < n && isTokenChar(header.charAt(i))) {
          i++;
        }
        String key = header.substring(keyStart, i).toLowerCase(Locale.ROOT);
        if (key.isEmpty() || i == n || header.charAt(i) != '=') {
          if (key.isEmpty() && header.charAt(i) == ';') {
            i++;
            continue; // an empty parameter, as in "a;;b=c"
          }
          throw new MalformedException("mime: invalid media parameter");
        }
        i++;
        String value;
        if (i < n && header.charAt(i) == '"') {
          StringBuilder v = new StringBuilder();
          i++;
          boolean closed = false;
          while (i < n) {
            char c = header.charAt(i++);
            if (c == '\\' && i < n) {
              v.append(header.charAt(i++));
            } else if (c == '"') {
              closed = true;
              break;
            } else {
              v.append(c);
            }
          }
          if (!closed) {
            throw new MalformedException("mime: invalid media parameter");
          }
          value = v.toString();
        } else {
          int valueStart = i;
          while (i < n && isTokenChar(header.charAt(i))) {
            i++;
          }
          value = header.substring(valueStart, i);
          if (value.isEmpty()) {
            throw new MalformedException("mime: invalid media parameter");
          }
        }
        if (params.containsKey(key)) {
          throw new MalformedException("mime: duplicate parameter name");
        }
        params.put(key, value);
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
          i++;
        }
        if (i < n) {
          if (header.charAt(i) != ';') {
            throw new MalformedException("mime: invalid media parameter");
          }
          i++;
        }
      }
      return params;
    }

    private static boolean isTokenChar(char c) {
      return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }
  }
}
