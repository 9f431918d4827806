package io.pyrogate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pyrogate.config.TenantSendRate;
import io.pyrogate.delivery.SendBudget;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The send budget of cluster mode between two Hazelcast members in this JVM, configured as pyrogate
 * configures them ({@link HazelcastSetup}) on ports of their own on 127.0.0.1: both charge one
 * bucket per endpoint and tenant, and a member whose cluster is gone charges its own budget instead
 * of waiting.
 */
class HazelcastSendBudgetTest {
  private static final long RATE = 1000; // bytes per second, burst as much

  private final Vertx vertx = Vertx.vertx();
  private HazelcastInstance one;
  private HazelcastInstance two;

  @AfterEach
  void stop() throws Exception {
    for (HazelcastInstance h : new HazelcastInstance[] {one, two}) {
      if (h != null) {
        h.getLifecycleService().terminate();
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void membersChargeOneBucketPerEndpointAndTenantAndFallBackOnTheirOwn() throws Exception {
    formCluster();
    SendBudget onOne = budget(one, "a");
    SendBudget onTwo = budget(two, "a");

    assertThat(reserve(onOne, "t", 1000)).as("a full bucket").isZero();
    assertThat(reserve(onTwo, "t", 1000))
        .as("the other member drew from the same bucket: a second of debt")
        .isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(reserve(onOne, "t", 1000)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(2));
    assertThat(reserve(onTwo, "other", 1000)).as("another tenant's bucket").isZero();
    assertThat(reserve(budget(two, "b"), "t", 1000)).as("another endpoint's bucket").isZero();

    // A bucket whose owner dies lives on in its backup, as the owner charged it.
    String ownedByTwo = tenantOwnedBy(two, "a");
    reserve(onTwo, ownedByTwo, 30_000);
    two.getLifecycleService().terminate();
    assertThat(reserve(onOne, ownedByTwo, 0))
        .as("the debt charged on the member that died")
        .isGreaterThan(Duration.ofSeconds(20));

    long before = System.nanoTime();
    assertThat(reserve(onTwo, "t", 1000))
        .as("with its cluster gone, the member charges its own bucket, full")
        .isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isLessThanOrEqualTo(HazelcastSendBudget.CALL_TIMEOUT.plusSeconds(1));
  }

  /** A tenant whose bucket of endpoint {@code endpoint} {@code member} owns. */
  private static String tenantOwnedBy(HazelcastInstance member, String endpoint) {
    for (int i = 0; ; i++) {
      String tenant = "tenant-" + i;
      if (member
          .getPartitionService()
          .getPartition("w/" + endpoint + "/" + tenant)
          .getOwner()
          .localMember()) {
        return tenant;
      }
    }
  }

  private SendBudget budget(HazelcastInstance member, String endpoint) {
    TenantSendRate rate = new TenantSendRate("1000", RATE);
    return new HazelcastSendBudget(vertx, member, "w", endpoint, RATE, SendBudget.local(rate));
  }

  /** Reserves from a Vert.x context, as an endpoint does, and waits for the answer. */
  private Duration reserve(SendBudget budget, String tenant, long bytes) throws Exception {
    CompletableFuture<Duration> answer = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            budget
                .reserve(tenant, bytes)
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        answer.complete(ar.result());
                      } else {
                        answer.completeExceptionally(ar.cause());
                      }
                    }));
    return answer.get(10, TimeUnit.SECONDS);
  }

  /** Two members that know each other's address, started together so they join at once. */
  private void formCluster() throws Exception {
    int[] ports = {freePort(), freePort()};
    String name = "budget-test-" + UUID.randomUUID();
    CompletableFuture<HazelcastInstance> first =
        CompletableFuture.supplyAsync(() -> member(name, "one", ports[0], ports[1]));
    CompletableFuture<HazelcastInstance> second =
        CompletableFuture.supplyAsync(() -> member(name, "two", ports[1], ports[0]));
    one = first.get(60, TimeUnit.SECONDS);
    two = second.get(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                one.getCluster().getMembers().size() == 2
                    && two.getCluster().getMembers().size() == 2);
  }

  private static HazelcastInstance member(String cluster, String node, int port, int other) {
    ClusterSettings settings =
        new ClusterSettings(
            true,
            node,
            new ClusterSettings.Address("127.0.0.1", port),
            List.of(new ClusterSettings.Address("127.0.0.1", other)),
            cluster,
            0);
    return Hazelcast.newHazelcastInstance(HazelcastSetup.config(settings, cluster));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
