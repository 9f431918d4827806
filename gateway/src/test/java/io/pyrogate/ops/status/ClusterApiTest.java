package io.pyrogate.ops.status;

import static io.pyrogate.ops.status.StatusGateway.endpointOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/cluster} without cluster mode: this instance is the only member, with its
 * endpoints' states, rates and every partition of their groups; the status page has no cluster
 * section.
 */
@KafkaTest
class ClusterApiTest {

  @Test
  void onItsOwnAnInstanceIsTheOnlyMemberAndHoldsEveryPartition() {
    try (StatusGateway g = new StatusGateway()) {
      g.push(2);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonObject view = cluster(g);
                assertThat(view.getBoolean("clustered")).isFalse();
                JsonArray members = view.getJsonArray("members");
                assertThat(members).hasSize(1);
                JsonObject self = members.getJsonObject(0);
                assertThat(self.getBoolean("self")).isTrue();
                assertThat(self.getString("nodeName")).isNotBlank();
                assertThat(self.getLong("upSince")).isPositive();
                assertThat(self.getJsonArray("singletons").getList()).containsExactly("lag");
                JsonObject a = endpoint(self, "a");
                assertThat(a.getString("write")).isEqualTo("pyroscope.write.w");
                assertThat(a.getString("state")).isEqualTo("delivering");
                assertThat(a.getDouble("profilesPerSecond")).isPositive();
                assertThat(a.getJsonArray("partitions").getList())
                    .isNotEmpty()
                    .isEqualTo(endpointOf(g.status(), "a").getJsonArray("partitions").getList());
              });
      assertThat(g.status().containsKey("cluster")).isFalse();
      assertThat(TestGateways.get(g.gateway.managementPort(), "/").body())
          .doesNotContain("<h2>Cluster");
    }
  }

  private static JsonObject cluster(StatusGateway g) {
    HttpResponse<String> r = TestGateways.get(g.gateway.managementPort(), "/api/cluster");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  private static JsonObject endpoint(JsonObject member, String name) {
    return member.getJsonArray("endpoints").stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("endpoint").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no endpoint " + name + " in " + member));
  }
}
