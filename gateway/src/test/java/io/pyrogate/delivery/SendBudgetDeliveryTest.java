package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * An endpoint with a {@code tenant_send_rate} delivering from the test broker to a receiver: what
 * the receiver gets of a tenant stays within the budget (one second of the rate, plus the rate
 * times the time since the tenant's first profile was stored), counted as Pyroscope counts it
 * (labels and profiles decompressed, here by decompressing them), and a tenant deep in debt does
 * not hold another tenant's requests.
 */
class SendBudgetDeliveryTest {
  private static final long RATE = 64 * 1024;
  private static final int PROFILE_BYTES = 16 * 1024;
  private static final int PROFILES_OF_A = 16;

  @Test
  void aTenantIsSentNoMoreThanItsBudgetAndDoesNotHoldAnother() throws IOException {
    try (FakePyroscope pyroscope = new FakePyroscope();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \"" + pyroscope.url() + "\"\ntenant_send_rate = \"64KiB\"", Map.of()),
                QUIET,
                List.of())) {
      long start = System.nanoTime();
      for (int i = 0; i < PROFILES_OF_A; i++) {
        harness.store("a", profile(i));
      }
      long storedB = System.nanoTime();
      harness.store("b", profile(PROFILES_OF_A));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() == PROFILES_OF_A + 1);

      List<FakePyroscope.Request> ofA = ofTenant(pyroscope, "a");
      long charged = 0;
      for (FakePyroscope.Request r : ofA) {
        charged += charged(r);
        double allowed = RATE + RATE * (r.receivedAtNanos() - start) / 1e9;
        assertThat((double) charged)
            .as("bytes of tenant a received by %d ms", (r.receivedAtNanos() - start) / 1_000_000)
            .isLessThanOrEqualTo(allowed);
      }
      long last = ofA.get(ofA.size() - 1).receivedAtNanos();
      System.out.printf(
          "tenant a: %d bytes as Pyroscope counts them in %d requests over %d ms: %.0f B/s"
              + " received for a budget of %d B/s (burst %d B)%n",
          charged,
          ofA.size(),
          (last - start) / 1_000_000,
          charged / ((last - start) / 1e9),
          RATE,
          RATE);
      assertThat(last - start)
          .as("tenant a's profiles took the time its budget allows")
          .isGreaterThanOrEqualTo(
              (long) ((charged - RATE) * 1e9 / RATE) - Duration.ofMillis(50).toNanos());

      FakePyroscope.Request firstOfB = ofTenant(pyroscope, "b").get(0);
      assertThat(firstOfB.receivedAtNanos())
          .as("tenant b's request went while tenant a's still waited")
          .isLessThan(last);
      assertThat(firstOfB.receivedAtNanos() - storedB)
          .as("tenant b waited for nobody's budget")
          .isLessThan(Duration.ofSeconds(1).toNanos());

      String metrics = harness.metrics();
      assertThat(value(metrics, "pyrogate_endpoint_send_budget_bytes_total"))
          .isEqualTo(charged + charged(firstOfB));
      assertThat(value(metrics, "pyrogate_endpoint_send_budget_wait_seconds_total"))
          .isGreaterThan(1.0);
    }
  }

  /** A profile of {@link #PROFILE_BYTES} decompressed, gzipped as SDKs send it. */
  private static PushRequest profile(int seed) {
    Random random = new Random(seed);
    byte[] pprof = new byte[PROFILE_BYTES];
    for (int i = 0; i < pprof.length; i++) {
      pprof[i] = (byte) ('a' + random.nextInt(16));
    }
    return Profiles.push("svc", Profiles.gzip(pprof), Map.of());
  }

  private static List<FakePyroscope.Request> ofTenant(FakePyroscope pyroscope, String tenant) {
    return pyroscope.delivered().stream()
        .filter(r -> tenant.equals(r.headers().get("x-scope-orgid")))
        .toList();
  }

  /** What Pyroscope charges for a request: its series' labels and profiles decompressed. */
  private static long charged(FakePyroscope.Request r) throws IOException {
    long bytes = 0;
    for (RawProfileSeries series : PushRequest.parseFrom(r.body()).getSeriesList()) {
      for (LabelPair l : series.getLabelsList()) {
        bytes += l.getName().getBytes(StandardCharsets.UTF_8).length;
        bytes += l.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
      for (RawSample s : series.getSamplesList()) {
        try (GZIPInputStream in =
            new GZIPInputStream(new ByteArrayInputStream(s.getRawProfile().toByteArray()))) {
          bytes += in.readAllBytes().length;
        }
      }
    }
    return bytes;
  }

  private static double value(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(name + " is served").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
