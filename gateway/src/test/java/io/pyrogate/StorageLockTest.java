package io.pyrogate;

import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of issue 15: a second instance on the same --storage.path must not touch the running
 * one.
 */
@KafkaTest
class StorageLockTest {

  @Test
  void aSecondGatewayOnTheSameStoragePathFailsFastAndTheFirstKeepsServing() {
    Path storage = TestGateways.tempDir();
    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway first = Gateway.start(embedded(0, pyroscope), TestGateways.options(storage))) {
      int ingest = first.ingestPort("default");
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(
                () -> Gateway.start(embedded(0, pyroscope), TestGateways.options(storage)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(
                "storage path "
                    + storage.toAbsolutePath().normalize()
                    + " is in use by another pyrogate")
            .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
      }

      assertThat(get(first.managementPort(), "/-/ready").statusCode()).isEqualTo(200);
      var pushed = Profiles.push("still-serving", Profiles.jvmStacksPprof(1), Map.of());
      var response = TestGateways.push(ingest, pushed.toByteArray());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> pyroscope.deliveredSampleIds().contains(Profiles.sampleIds(pushed).get(0)));
    }
  }

  @Test
  void aLockHeldByAnotherProcessIsRefusedNamingItsPidAndFreedWhenItExits() throws Exception {
    Path storage = TestGateways.tempDir();
    Process holder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                storage.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> StorageLock.acquire(storage))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by another pyrogate (pid " + holder.pid() + ")");
    } finally {
      holder.destroyForcibly();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (StorageLock lock = StorageLock.acquire(storage)) {
      assertThat(lock.file()).exists();
    }
  }

  private static GatewayConfig embedded(int ingest, FakePyroscope pyroscope) {
    KafkaSettings kafka = new KafkaSettings(List.of(), "127.0.0.1:0", "lock.", 1, (short) 1);
    return config(
        kafka,
        ingest,
        List.of(
            new WriteComponent(
                "w", List.of(TestGateways.endpoint("a", pyroscope.url())), Map.of())));
  }

  /** A separate process that holds the lock until it is killed. */
  public static final class Holder {
    public static void main(String[] args) throws InterruptedException {
      StorageLock.acquire(Path.of(args[0]));
      System.out.println("locked");
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
