package io.pyrogate.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPageTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void valuesFromTheEndpointAreEscapedAndCannotCloseTheScript() {
    StatusSnapshot s =
        new StatusSnapshot(
            "1.0",
            NOW,
            NOW - 5_000,
            5,
            null,
            "</script><script>alert(1)</script>",
            new StatusSnapshot.Config(null, NOW, "summary", null),
            new StatusSnapshot.Kafka(true, true, null, List.of("127.0.0.1:9092")),
            new StatusSnapshot.Ingest(0.0, 1024),
            List.of(),
            List.of(
                new StatusSnapshot.Write(
                    "pyroscope.write.w",
                    "t",
                    null,
                    List.of(
                        new StatusSnapshot.Endpoint(
                            "a<b",
                            "http://h/",
                            "outage",
                            NOW,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            NOW - 3_000,
                            503,
                            "<img src=x onerror=alert(1)>",
                            NOW + 2_000,
                            0.0,
                            List.of(),
                            List.of(),
                            null,
                            null)))));

    String html = StatusPage.render(StatusJson.encode(s));

    assertThat(html)
        .doesNotContain("<img")
        .contains("&lt;img src=x onerror=alert(1)&gt;")
        .contains("data-endpoint=\"a&lt;b\"")
        .doesNotContain("</script><script>alert(1)")
        .contains("in outage")
        .contains("HTTP 503")
        .contains("in 2s");
  }

  @Test
  void inClusterModeShowsEveryMemberWithItsEndpointsAndPartitions() {
    StatusSnapshot s =
        new StatusSnapshot(
            "1.0",
            NOW,
            NOW - 5_000,
            5,
            null,
            "",
            new StatusSnapshot.Config(null, NOW, "summary", null),
            new StatusSnapshot.Kafka(false, true, null, List.of("k:9092")),
            new StatusSnapshot.Ingest(0.0, 1024),
            List.of(),
            List.of());
    JsonObject cluster =
        new JsonObject()
            .put("clustered", true)
            .put("cluster", "pyrogate.cluster")
            .put(
                "members",
                new JsonArray()
                    .add(member("n1", "pyrogate-0", true, "lag", 0, 2))
                    .add(member("n2", "<b>pyrogate-1</b>", false, null, 1, 3)));

    String json = StatusJson.encode(s, cluster);
    String html = StatusPage.render(json);

    assertThat(new JsonObject(json).getString("wiring")).endsWith("cluster: n1 n2");
    assertThat(html)
        .contains("<h2>Cluster <small>pyrogate.cluster · 2 members</small></h2>")
        .contains("pyrogate-0 <small>this member</small>")
        .contains("&lt;b&gt;pyrogate-1&lt;/b&gt;")
        .doesNotContain("<b>pyrogate-1")
        .contains(">0, 2</span>")
        .contains(">1, 3</span>")
        .contains(">lag</span>");
  }

  private static JsonObject member(
      String node, String name, boolean self, String singleton, int... partitions) {
    JsonArray held = new JsonArray();
    for (int p : partitions) {
      held.add(p);
    }
    return new JsonObject()
        .put("node", node)
        .put("nodeName", name)
        .put("address", "10.0.0.1:5701")
        .put("upSince", NOW - 60_000)
        .put("self", self)
        .put("singletons", singleton == null ? new JsonArray() : new JsonArray().add(singleton))
        .put(
            "endpoints",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("write", "pyroscope.write.w")
                        .put("endpoint", "a")
                        .put("state", "delivering")
                        .put("profilesPerSecond", 1.5)
                        .put("partitions", held)));
  }

  @Test
  void formatsAsTheScriptDoes() {
    assertThat(StatusPage.format("bytes", 1536, NOW)).isEqualTo("1.5 KiB");
    assertThat(StatusPage.format("rate", 2.5, NOW)).isEqualTo("2.50/s");
    assertThat(StatusPage.format("age", 3725, NOW)).isEqualTo("1h 2m");
    assertThat(StatusPage.format("state", "backing_off", NOW)).isEqualTo("backing off");
    assertThat(StatusPage.format("retention", -1, NOW)).isEqualTo("forever");
    assertThat(StatusPage.format("retention", 604800, NOW)).isEqualTo("7d 0h");
    assertThat(StatusPage.format("status", 0, NOW)).isEqualTo("no answer");
    assertThat(StatusPage.format("time", null, NOW)).isEqualTo("never");
    assertThat(StatusPage.format("time", NOW - 65_000, NOW)).endsWith("UTC (1m 5s ago)");
    assertThat(StatusPage.format("counts", new JsonObject().put("429", 3.0), NOW))
        .isEqualTo("429: 3");
    assertThat(
            StatusPage.format(
                "reasons",
                new JsonArray().add(new JsonObject().put("reason", "HTTP 400").put("count", 2)),
                NOW))
        .isEqualTo("2 × HTTP 400");
    assertThat(
            StatusPage.format(
                "budget",
                new JsonObject()
                    .put("tenantSendRateBytesPerSecond", 4L << 20)
                    .put("sendBudgetHeldSecondsPerSecond", 0.8),
                NOW))
        .isEqualTo("send budget 4.0 MiB/s per tenant · held 0.80 s/s by the send budget");
    assertThat(StatusPage.format("budget", new JsonObject(), NOW)).isEmpty();
  }
}
