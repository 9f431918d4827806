package io.pyrogate.delivery;

import static io.pyrogate.delivery.EndpointHarness.endpoint;
import static io.pyrogate.delivery.TlsDeliveryTest.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.config.KafkaSettings;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestKafka;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * An endpoint with a {@code tenant_send_rate} delivering from the test broker to a receiver: what
 * the receiver gets of a tenant stays within the budget (one second of the rate, plus the rate
 * times the time since the tenant's first profile was stored), counted as Pyroscope counts it
 * (labels and profiles decompressed, here by decompressing them), and a tenant deep in debt does
 * not hold another tenant's requests; requests waiting for the budget whose partitions a rebalance
 * takes over are left to the new owner. With or without a budget, no request costs more than
 * Pyroscope's default burst, which it never admits.
 */
class SendBudgetDeliveryTest {
  private static final long RATE = 1024 * 1024;
  private static final int PROFILE_BYTES = 200 * 1024;
  private static final int PROFILES_OF_A = 20;
  private static final long PYROSCOPE_BURST = 2 * 1024 * 1024;

  @Test
  void aTenantIsSentNoMoreThanItsBudgetAndDoesNotHoldAnother() {
    try (FakePyroscope pyroscope = new FakePyroscope();
        EndpointHarness harness =
            new EndpointHarness(
                endpoint(
                    "url = \"" + pyroscope.url() + "\"\ntenant_send_rate = \"1MiB\"", Map.of()),
                QUIET,
                List.of())) {
      long start = System.nanoTime();
      for (int i = 0; i < PROFILES_OF_A; i++) {
        harness.store("a", profile(i));
      }
      long storedB = System.nanoTime();
      harness.store("b", profile(PROFILES_OF_A));
      // A batch costs at most 2 MiB (Batcher.BATCH_COST): tenant a's 4 MiB are several requests.
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
      assertThat(ofA).hasSizeGreaterThan(1);
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

  @Test
  void requestsWaitingForTheBudgetWhenTheEndpointStopsAreLeftToTheNextOwner() {
    try (FakePyroscope pyroscope = new FakePyroscope()) {
      EndpointHarness waiting =
          new EndpointHarness(
              endpoint(
                  "name = \"stops\"\nurl = \""
                      + pyroscope.url()
                      + "\"\ntenant_send_rate = \"1KiB\"",
                  Map.of()),
              QUIET,
              List.of());
      List<PushRequest> profiles = List.of(profile(1), profile(2), profile(3));
      waiting.storeTogether("a", profiles);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  value(waiting.metrics(), "pyrogate_endpoint_send_budget_wait_seconds_total")
                      > 60);
      long stopping = System.nanoTime();
      waiting.close();
      Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
      System.out.printf(
          "stopped with requests waiting for the budget in %d ms%n", stopped.toMillis());
      assertThat(stopped)
          .as("the waiting requests were given back at once, not waited for (5 s grace)")
          .isLessThan(Duration.ofSeconds(5));
      assertThat(pyroscope.received()).isEmpty();

      try (EndpointHarness next =
          new EndpointHarness(
              waiting.kafka(),
              endpoint("name = \"stops\"\nurl = \"" + pyroscope.url() + "\"", Map.of()),
              QUIET,
              List.of(),
              SharedBackOff.NONE)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pyroscope.deliveredSampleIds().size() == profiles.size());
        assertThat(pyroscope.deliveredSampleIds())
            .containsExactlyInAnyOrderElementsOf(
                profiles.stream().flatMap(p -> Profiles.sampleIds(p).stream()).toList());
      }
    }
  }

  @Test
  void requestsWaitingForTheBudgetOfPartitionsRevokedAreLeftToTheirNewOwner() {
    // One bucket for every request (the endpoint sets the tenant), so A's requests go one after
    // another over some 12 s; records of 12 tenants spread over 4 partitions.
    KafkaSettings shared = TestKafka.handle().settings();
    KafkaSettings kafka =
        new KafkaSettings(
            shared.bootstrapServers(),
            shared.embeddedListenAddress(),
            shared.topicPrefix(),
            4,
            shared.replicationFactor());
    int profiles = 12;
    int rate = 8 * 1024; // bytes a second; each profile costs about one second of it
    String team = "\nheaders = { \"X-Scope-OrgID\" = \"team\" }";
    try (FakePyroscope toA = new FakePyroscope();
        FakePyroscope toB = new FakePyroscope();
        EndpointHarness a =
            new EndpointHarness(
                kafka,
                endpoint(
                    "name = \"shared\"\nurl = \""
                        + toA.url()
                        + "\"\ntenant_send_rate = \""
                        + rate
                        + "\""
                        + team,
                    Map.of()),
                QUIET,
                List.of(),
                SharedBackOff.NONE)) {
      long start = System.nanoTime();
      List<String> stored = new ArrayList<>();
      for (int i = 0; i < profiles; i++) {
        PushRequest p = profile(i, rate, 4);
        a.store("tenant-" + i, p);
        stored.addAll(Profiles.sampleIds(p));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  value(a.metrics(), "pyrogate_endpoint_send_budget_bytes_total")
                      >= profiles * rate);
      double charged = value(a.metrics(), "pyrogate_endpoint_send_budget_bytes_total");
      int sentByABeforeB = toA.deliveredSampleIds().size();

      try (EndpointHarness b =
          new EndpointHarness(
              a.kafka(),
              endpoint("name = \"shared\"\nurl = \"" + toB.url() + "\"" + team, Map.of()),
              QUIET,
              List.of(),
              SharedBackOff.NONE)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    Stream.concat(
                            toA.deliveredSampleIds().stream(), toB.deliveredSampleIds().stream())
                        .collect(Collectors.toSet())
                        .containsAll(stored));
        // B delivers only once A's revocation is done: from then on, A must send none of the
        // records B took over, up to when A's budget lets its last request go (and a margin for
        // the way to the receiver). A request A had answered before the revocation may be
        // delivered again by B (at least once), so that alone is no duplicate this test refuses.
        assertThat(toB.delivered()).as("B took over partitions with records").isNotEmpty();
        long takenOver = toB.delivered().get(0).receivedAtNanos();
        Duration spent =
            Duration.ofNanos(Math.max(0, start + (long) (charged / rate * 1e9) - System.nanoTime()))
                .plusSeconds(2);
        await()
            .during(spent)
            .atMost(spent.plusSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(sampleIdsReceivedAfter(toA, takenOver))
                        .as("profiles A sent after B took over some of its partitions")
                        .doesNotContainAnyElementsOf(toB.deliveredSampleIds()));
        List<String> ofA = toA.deliveredSampleIds();
        List<String> ofB = toB.deliveredSampleIds();
        System.out.printf(
            "A sent %d profiles before B joined, %d in all (%d after B took over); B sent %d;"
                + " %d sent by both%n",
            sentByABeforeB,
            ofA.size(),
            sampleIdsReceivedAfter(toA, takenOver).size(),
            ofB.size(),
            ofA.stream().filter(ofB::contains).count());
        assertThat(sampleIdsReceivedAfter(toA, takenOver))
            .as("A kept partitions whose records it sent after B took over the others")
            .isNotEmpty();
      }
    }
  }

  @Test
  void noRequestCostsMoreThanPyroscopesDefaultBurstWhichItNeverAdmits() {
    // Pyroscope's limiter refuses, whatever the rate, a request that costs more than its burst
    // (ingestion_burst_size_mb, 2 MiB by default): so does this receiver.
    try (FakePyroscope pyroscope =
            new FakePyroscope()
                .refuseWhen(
                    body -> charged(body) > PYROSCOPE_BURST,
                    429,
                    "resource_exhausted: push rate limit (4.0 MiB) exceeded");
        EndpointHarness harness =
            new EndpointHarness(
                endpoint("url = \"" + pyroscope.url() + "\"", Map.of()), QUIET, List.of())) {
      // Profiles that compress well, as real ones do: 40 of 30 KiB are one batch by its bytes,
      // but 4 MiB as Pyroscope counts them.
      List<PushRequest> profiles = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        profiles.add(profile(i, 100 * 1024, 4));
      }
      harness.storeTogether("a", profiles);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().size() == profiles.size());
      assertThat(pyroscope.received())
          .as("requests refused as over Pyroscope's burst")
          .allMatch(r -> r.answered() == 200);
      assertThat(pyroscope.received()).hasSizeGreaterThan(1);
    }
  }

  /** A profile of {@link #PROFILE_BYTES} decompressed, gzipped as SDKs send it. */
  private static PushRequest profile(int seed) {
    return profile(seed, PROFILE_BYTES, 4);
  }

  /**
   * A profile of {@code bytes} decompressed, of {@code letters} distinct bytes (the fewer, the
   * better it compresses), gzipped as SDKs send it.
   */
  private static PushRequest profile(int seed, int bytes, int letters) {
    Random random = new Random(seed);
    byte[] pprof = new byte[bytes];
    for (int i = 0; i < pprof.length; i++) {
      pprof[i] = (byte) ('a' + random.nextInt(letters));
    }
    return Profiles.push("svc", Profiles.gzip(pprof), Map.of());
  }

  private static List<String> sampleIdsReceivedAfter(FakePyroscope pyroscope, long nanos) {
    return pyroscope.delivered().stream()
        .filter(r -> r.receivedAtNanos() > nanos)
        .flatMap(r -> Profiles.sampleIds(parse(r.body())).stream())
        .toList();
  }

  private static PushRequest parse(byte[] body) {
    try {
      return PushRequest.parseFrom(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<FakePyroscope.Request> ofTenant(FakePyroscope pyroscope, String tenant) {
    return pyroscope.delivered().stream()
        .filter(r -> tenant.equals(r.headers().get("x-scope-orgid")))
        .toList();
  }

  private static long charged(FakePyroscope.Request r) {
    return charged(r.body());
  }

  /** What Pyroscope charges for a push request: its series' labels and profiles decompressed. */
  private static long charged(byte[] body) {
    try {
      return decompressedCost(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long decompressedCost(byte[] body) throws IOException {
    long bytes = 0;
    for (RawProfileSeries series : PushRequest.parseFrom(body).getSeriesList()) {
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
