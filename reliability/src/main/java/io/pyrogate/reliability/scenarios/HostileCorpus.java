package io.pyrogate.reliability.scenarios;

import com.google.protobuf.CodedOutputStream;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.Profiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Requests Pyroscope refuses, by class: malformed pprof, tenants, labels Pyroscope's distributor
 * refuses, a series without {@code __name__}, bodies that are not push requests, bad gzip,
 * unsupported encodings and content types, oversized bodies, and legacy {@code /ingest} requests
 * Pyroscope cannot read. Push requests are encoded field by field here, so that they can carry what
 * the protobuf builders refuse to write (invalid UTF-8).
 */
final class HostileCorpus {
  /**
   * A class of hostile requests: whether pyrogate promises to refuse it, and how to make its i-th
   * case.
   */
  record Kind(
      String name, boolean refusalPromised, int cases, IntFunction<HttpLoad.Request> make) {}

  static final String PUSH = "/push.v1.PusherService/Push";
  private static final Map<String, String> PROTO = Map.of("Content-Type", "application/proto");

  /** Tenant IDs dskit refuses ("a:b" is not among them: ":b" is a sub-tenant suffix it strips). */
  private static final String[] BAD_TENANTS = {
    "a b", "a/b", "a\\b", "a?b", "a#b", "a;b", "..", ".", "a".repeat(151), "a|b", "a,b", "<t>"
  };

  private HostileCorpus() {}

  static List<Kind> kinds() {
    Random random = new Random(15);
    byte[] pprof = Profiles.smallPprof();
    List<Kind> k = new ArrayList<>();
    k.add(
        new Kind(
            "pprof neither gzip nor a Profile",
            true,
            80,
            i -> push(series(labels("process_cpu", "svc"), garbage(random, 64 + i)))));
    k.add(
        new Kind(
            "pprof gzip cut short",
            false,
            30,
            i ->
                push(
                    series(labels("process_cpu", "svc"), Arrays.copyOf(pprof, pprof.length / 2)))));
    k.add(
        new Kind(
            "bad tenant",
            true,
            96,
            i ->
                request(
                    PUSH,
                    Map.of(
                        "Content-Type",
                        "application/proto",
                        "X-Scope-OrgID",
                        BAD_TENANTS[i % BAD_TENANTS.length]),
                    valid(pprof))));
    k.add(
        new Kind(
            "label name invalid UTF-8",
            true,
            40,
            i ->
                push(
                    series(
                        concat(
                            labels("process_cpu", "svc"),
                            label(new byte[] {(byte) 0xC3, 0x28}, utf8("v"))),
                        pprof))));
    k.add(
        new Kind(
            "label value invalid UTF-8",
            true,
            40,
            i ->
                push(
                    series(
                        concat(
                            labels("process_cpu", "svc"),
                            label(utf8("env"), new byte[] {(byte) 0xFF, (byte) 0xFE})),
                        pprof))));
    k.add(
        new Kind(
            "duplicate label name",
            true,
            40,
            i ->
                push(
                    series(
                        concat(
                            labels("process_cpu", "svc"),
                            label(utf8("service_name"), utf8("other"))),
                        pprof))));
    k.add(
        new Kind(
            "more than 30 label names",
            true,
            40,
            i -> {
              byte[] l = labels("process_cpu", "svc");
              for (int n = 0; n < 30; n++) {
                l = concat(l, label(utf8("l" + n), utf8("v")));
              }
              return push(series(l, pprof));
            }));
    k.add(
        new Kind(
            "label name over 1024 bytes",
            true,
            40,
            i ->
                push(
                    series(
                        concat(
                            labels("process_cpu", "svc"), label(utf8("n".repeat(1025)), utf8("v"))),
                        pprof))));
    k.add(
        new Kind(
            "label value over 2048 bytes",
            true,
            40,
            i ->
                push(
                    series(
                        concat(
                            labels("process_cpu", "svc"),
                            label(utf8("env"), utf8("v".repeat(2049)))),
                        pprof))));
    k.add(
        new Kind(
            "empty label name",
            true,
            40,
            i ->
                push(
                    series(
                        concat(labels("process_cpu", "svc"), label(new byte[0], utf8("v"))),
                        pprof))));
    k.add(
        new Kind(
            "no __name__",
            true,
            100,
            i -> push(series(label(utf8("service_name"), utf8("svc")), pprof))));
    k.add(new Kind("empty __name__", true, 40, i -> push(series(labels("", "svc"), pprof))));
    k.add(new Kind("no labels", true, 40, i -> push(series(new byte[0], pprof))));
    k.add(new Kind("no profiles", true, 40, i -> push(new byte[0])));
    k.add(
        new Kind(
            "body not a PushRequest",
            true,
            60,
            i -> request(PUSH, PROTO, garbage(random, 100 + i))));
    k.add(
        new Kind(
            "malformed JSON",
            true,
            40,
            i ->
                request(
                    PUSH,
                    Map.of("Content-Type", "application/json"),
                    utf8("{\"series\": [{\"labels\": [" + i))));
    k.add(
        new Kind(
            "Content-Encoding gzip, body not gzip",
            true,
            40,
            i ->
                request(
                    PUSH,
                    Map.of("Content-Type", "application/proto", "Content-Encoding", "gzip"),
                    valid(pprof))));
    k.add(
        new Kind(
            "unsupported Content-Encoding (501)",
            true,
            30,
            i ->
                request(
                    PUSH,
                    Map.of("Content-Type", "application/proto", "Content-Encoding", "br"),
                    valid(pprof))));
    k.add(
        new Kind(
            "unsupported Content-Type",
            true,
            30,
            i -> request(PUSH, Map.of("Content-Type", "text/plain"), valid(pprof))));
    k.add(
        new Kind(
            "body over 16 MiB", true, 2, i -> request(PUSH, PROTO, new byte[17 * 1024 * 1024])));
    k.add(
        new Kind(
            "/ingest name with a space",
            true,
            40,
            i ->
                request(
                    "/ingest?name=my%20app.cpu&format=folded",
                    Map.of("Content-Type", "binary/octet-stream"), utf8("foo;bar 1\n"))));
    k.add(
        new Kind(
            "/ingest empty body",
            true,
            40,
            i ->
                request(
                    "/ingest?name=app.cpu&format=folded",
                    Map.of("Content-Type", "binary/octet-stream"),
                    new byte[0])));
    k.add(
        new Kind(
            "/ingest multipart without boundary",
            true,
            40,
            i ->
                request(
                    "/ingest?name=app.cpu",
                    Map.of("Content-Type", "multipart/form-data"),
                    utf8("--x\r\n\r\nnothing\r\n--x--\r\n"))));
    return k;
  }

  /**
   * Every case of every kind, interleaved: one pass over the kinds after the other, each taking its
   * next case.
   */
  static List<HttpLoad.Request> requests(List<Kind> kinds) {
    List<HttpLoad.Request> out = new ArrayList<>();
    int max = kinds.stream().mapToInt(Kind::cases).max().orElse(0);
    for (int i = 0; i < max; i++) {
      for (Kind k : kinds) {
        if (i < k.cases()) {
          HttpLoad.Request r = k.make().apply(i);
          out.add(new HttpLoad.Request(null, k.name(), r.path(), r.headers(), r.body()));
        }
      }
    }
    return out;
  }

  private static HttpLoad.Request push(byte[] body) {
    return request(PUSH, PROTO, body);
  }

  /** A case of a kind; {@link #requests} names it after its kind. */
  private static HttpLoad.Request request(String path, Map<String, String> headers, byte[] body) {
    return new HttpLoad.Request(null, null, path, headers, body);
  }

  /** A valid push request without a {@code rel_id}: hostile only by its headers. */
  private static byte[] valid(byte[] pprof) {
    return series(labels("process_cpu", "svc"), pprof);
  }

  /**
   * Bytes that are neither gzip nor protobuf: they start with an invalid tag (field 0, wire type
   * 7).
   */
  private static byte[] garbage(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    b[0] = (byte) 0x07;
    b[1] = (byte) 0xFF;
    return b;
  }

  private static byte[] labels(String name, String service) {
    return concat(label(utf8("__name__"), utf8(name)), label(utf8("service_name"), utf8(service)));
  }

  /** A RawProfileSeries' {@code labels} field (1) holding LabelPair{name = 1, value = 2}. */
  private static byte[] label(byte[] name, byte[] value) {
    return field(1, concat(field(1, name), field(2, value)));
  }

  /**
   * A PushRequest's {@code series} field (1): the given label fields and one RawSample{raw_profile
   * = 1}.
   */
  private static byte[] series(byte[] labelFields, byte[] rawProfile) {
    return field(1, concat(labelFields, field(2, field(1, rawProfile))));
  }

  private static byte[] field(int number, byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
    try {
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeByteArray(number, bytes);
      c.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
