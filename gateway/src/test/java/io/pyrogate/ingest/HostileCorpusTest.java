package io.pyrogate.ingest;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pyrogate.Gateway;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.kafka.Topics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.SdkPayloads;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, findings 10 and 13: a generated corpus of 1,200 requests (fixed seed), hostile and
 * valid, in categories whose answer is known from Pyroscope's rules. Every request Pyroscope
 * refuses gets the 4xx of its category, every valid one 200, nothing a 5xx; only the valid ones are
 * stored, and the gateway serves normally afterwards.
 */
@KafkaTest
class HostileCorpusTest {
  private static final String PUSH = "/push.v1.PusherService/Push";
  private static final int REQUESTS = 1_200;
  private static final String TENANT_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()";
  private static final String BAD_TENANT_CHARS = " /@#$%&+=,;?[]{}<>\"\\~`^";

  /** A request of a category, and the status Pyroscope's rules give it. */
  private record Case(
      String category, int expected, Function<Integer, HttpResponse<String>> send) {}

  private final Random random = new Random(20261207L);
  private final byte[] gzipped = Profiles.jvmStacksPprof(1);
  private final byte[] plain = gunzip(gzipped);
  private int port;

  @Test
  void hostileRequestsAreRefusedWithTheirStatusAndValidOnesStored() {
    KafkaSettings kafka = TestGateways.sharedKafka();
    String topic = Topics.writeTopic(kafka, "w");
    List<Case> cases = cases();
    try (Gateway gateway =
        TestGateways.start(
            config(kafka, 0, List.of(new WriteComponent("w", List.of(), Map.of()))))) {
      port = gateway.ingestPort("default");
      int before = TestKafka.handle().readAll(topic).size();
      Map<String, Map<Integer, Integer>> answers = new TreeMap<>();
      Map<String, Integer> expected = new TreeMap<>();
      int valid = 0;
      for (int i = 0; i < REQUESTS; i++) {
        Case c = cases.get(i % cases.size());
        HttpResponse<String> response = c.send().apply(i);
        answers
            .computeIfAbsent(c.category(), k -> new TreeMap<>())
            .merge(response.statusCode(), 1, Integer::sum);
        expected.put(c.category(), c.expected());
        valid += c.expected() == 200 ? 1 : 0;
      }
      answers.forEach(
          (category, statuses) ->
              assertThat(statuses.keySet())
                  .as(category + ": " + statuses)
                  .containsOnly(expected.get(category)));
      assertThat(TestKafka.handle().readAll(topic))
          .as("only the valid requests are stored")
          .hasSize(before + valid);
      assertThat(
              TestGateways.push(port, Profiles.push("after", gzipped, Map.of()).toByteArray())
                  .statusCode())
          .as("the gateway still serves")
          .isEqualTo(200);
    }
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Valid: gzip and plain pprof, tenants of every allowed character, label sets at Pyroscope's
    // limits.
    cases.add(new Case("valid push, gzip pprof", 200, i -> push(labels(i), gzipped, null)));
    cases.add(new Case("valid push, plain pprof", 200, i -> push(labels(i), plain, null)));
    cases.add(
        new Case(
            "valid tenant",
            200,
            i -> push(labels(i), gzipped, randomString(TENANT_CHARS, 1, 150))));
    cases.add(
        new Case(
            "valid labels at the limits",
            200,
            i -> {
              List<LabelPair> ls = labels(i);
              while (ls.size() < 30) {
                ls.add(label("l" + ls.size(), "v"));
              }
              ls.set(2, label("n".repeat(1024), "x".repeat(2048)));
              ls.add(label("empty", "")); // left out by Pyroscope: 30 labels remain
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "valid /ingest pprof",
            200,
            i -> ingest("name=app" + i + "&format=pprof", plain, null)));
    cases.add(
        new Case(
            "valid /ingest folded",
            200,
            i ->
                ingest(
                    "name=app" + i + ".cpu",
                    "foo;bar 1\n".getBytes(StandardCharsets.UTF_8),
                    null)));

    // Profile bytes that are neither gzip nor a pprof Profile.
    cases.add(
        new Case(
            "raw profile with an illegal first tag",
            400,
            i -> push(labels(i), illegalStart(), null)));
    cases.add(
        new Case(
            "raw profile truncated",
            400,
            i ->
                push(labels(i), Arrays.copyOf(plain, plain.length - 1 - random.nextInt(4)), null)));
    cases.add(
        new Case(
            "raw profile with a truncated gzip header",
            400,
            i ->
                push(
                    labels(i),
                    concat(new byte[] {0x1f, (byte) 0x8b}, randomBytes(random.nextInt(8))),
                    null)));
    cases.add(new Case("raw profile empty", 400, i -> push(labels(i), new byte[0], null)));
    cases.add(
        new Case(
            "/ingest pprof garbage",
            422,
            i -> ingest("name=app&format=pprof", illegalStart(), null)));
    cases.add(
        new Case(
            "not a PushRequest",
            400,
            i -> post(port, PUSH, illegalStart(), Map.of("Content-Type", "application/proto"))));

    // Tenants Pyroscope refuses.
    cases.add(
        new Case(
            "tenant with a refused character",
            401,
            i -> {
              String t = randomString(TENANT_CHARS, 1, 40);
              int at = random.nextInt(t.length() + 1);
              char bad = BAD_TENANT_CHARS.charAt(random.nextInt(BAD_TENANT_CHARS.length()));
              String tenant = t.substring(0, at) + bad + t.substring(at);
              return push(
                  labels(i),
                  gzipped,
                  tenant.trim().isEmpty() || tenant.trim().equals(t) ? t + "/" : tenant);
            }));
    cases.add(
        new Case(
            "tenant too long",
            401,
            i -> push(labels(i), gzipped, randomString(TENANT_CHARS, 151, 300))));
    cases.add(
        new Case(
            "tenant . or ..",
            401,
            i -> push(labels(i), gzipped, random.nextBoolean() ? "." : "..")));
    cases.add(new Case("several tenants", 401, i -> push(labels(i), gzipped, "a" + i + "|b" + i)));
    cases.add(
        new Case(
            "/ingest folded, refused tenant",
            401,
            i ->
                ingest(
                    "name=app.cpu",
                    "foo;bar 1\n".getBytes(StandardCharsets.UTF_8),
                    "bad tenant " + i)));

    // Label sets Pyroscope's distributor refuses.
    cases.add(
        new Case(
            "series without __name__",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.remove(0);
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "__name__ empty",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.set(0, label("__name__", ""));
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "service_name empty",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.set(1, label("service_name", ""));
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "too many labels",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              int n = 31 + random.nextInt(20);
              while (ls.size() < n) {
                ls.add(label("l" + ls.size(), "v"));
              }
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "label name too long",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.add(label("n".repeat(1025 + random.nextInt(100)), "v"));
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "label value too long",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.add(label("v", "x".repeat(2049 + random.nextInt(100))));
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "duplicate label names",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.add(label("env", "a"));
              ls.add(label("env", "b"));
              return push(ls, gzipped, null);
            }));
    cases.add(
        new Case(
            "/ingest name with too many labels",
            400,
            i -> {
              StringBuilder name = new StringBuilder("app.cpu{");
              int n = 27 + random.nextInt(10); // Pyroscope adds 4: over 30
              for (int l = 0; l < n; l++) {
                name.append(l > 0 ? "," : "").append("l").append(l).append("=v");
              }
              return ingest(
                  "name=" + SdkPayloads.encode(name.append('}').toString()),
                  "foo;bar 1\n".getBytes(StandardCharsets.UTF_8),
                  null);
            }));
    cases.add(
        new Case(
            "/ingest pprof name with a value too long",
            422,
            i ->
                ingest(
                    "format=pprof&name="
                        + SdkPayloads.encode(
                            "app{k=" + "x".repeat(2049 + random.nextInt(100)) + "}"),
                    plain,
                    null)));
    cases.add(
        new Case(
            "empty label name",
            400,
            i -> {
              List<LabelPair> ls = labels(i);
              ls.add(label("", "x"));
              return push(ls, gzipped, null);
            }));
    return cases;
  }

  private HttpResponse<String> push(List<LabelPair> labels, byte[] profile, String tenant) {
    PushRequest request =
        PushRequest.newBuilder()
            .addSeries(
                RawProfileSeries.newBuilder()
                    .addAllLabels(labels)
                    .addSamples(RawSample.newBuilder().setRawProfile(ByteString.copyFrom(profile))))
            .build();
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/proto"));
    if (tenant != null) {
      headers.put("X-Scope-OrgID", tenant);
    }
    return post(port, PUSH, request.toByteArray(), headers);
  }

  private HttpResponse<String> ingest(String query, byte[] body, String tenant) {
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "binary/octet-stream"));
    if (tenant != null) {
      headers.put("X-Scope-OrgID", tenant);
    }
    return post(port, "/ingest?" + query, body, headers);
  }

  private static List<LabelPair> labels(int i) {
    return new ArrayList<>(
        List.of(
            label("__name__", "process_cpu"),
            label("service_name", "svc-" + i % 7),
            label("env", "prod")));
  }

  private static LabelPair label(String name, String value) {
    return LabelPair.newBuilder().setName(name).setValue(value).build();
  }

  /** Random bytes whose first tag has wire type 6 or 7, which no protobuf decoder accepts. */
  private byte[] illegalStart() {
    byte[] bytes = randomBytes(1 + random.nextInt(200));
    bytes[0] = (byte) (((1 + random.nextInt(15)) << 3) | (6 + random.nextInt(2)));
    return bytes;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private String randomString(String alphabet, int min, int max) {
    StringBuilder b = new StringBuilder();
    int n = min + random.nextInt(max - min + 1);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    String s = b.toString();
    return s.equals(".") || s.equals("..") ? s + "x" : s;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] gunzip(byte[] gz) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
