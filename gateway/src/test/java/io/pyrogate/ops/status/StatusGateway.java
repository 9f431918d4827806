package io.pyrogate.ops.status;

import static io.pyrogate.testing.TestGateways.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.Gateway;
import io.pyrogate.config.TenantSendRate;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gateway for the status page's tests: a {@code pyroscope.receive_http "default"} forwarding to a
 * {@code pyroscope.write "w"} with two endpoints, "a" and "b", each a {@link FakePyroscope}, on the
 * shared test broker.
 */
final class StatusGateway implements AutoCloseable {
  final FakePyroscope a = new FakePyroscope();
  final FakePyroscope b = new FakePyroscope();
  final int ingestPort;
  final Gateway gateway;

  StatusGateway() {
    this(TenantSendRate.NONE);
  }

  /** With endpoint "a" held to {@code budgetOfA} ({@code tenant_send_rate}). */
  StatusGateway(TenantSendRate budgetOfA) {
    gateway =
        TestGateways.start(
            TestGateways.config(
                TestGateways.sharedKafka(),
                0,
                List.of(
                    new WriteComponent(
                        "w",
                        List.of(
                            endpoint("a", a.url()).withTenantSendRate(budgetOfA),
                            endpoint("b", b.url())),
                        Map.of()))));
    ingestPort = gateway.ingestPort("default");
  }

  /** Pushes {@code n} profiles, each acknowledged. */
  void push(int n) {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          TestGateways.push(
              ingestPort,
              Profiles.push("status-page", Profiles.jvmStacksPprof(2), Map.of()).toByteArray());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  /** Pushes {@code n} profiles from 16 threads at once, each acknowledged. */
  void pushConcurrently(int n) {
    ExecutorService pushers = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> pushes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pushes.add(pushers.submit(() -> push(1)));
      }
      for (Future<?> f : pushes) {
        f.get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("a push failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      pushers.shutdownNow();
    }
  }

  String managementUrl() {
    return "http://127.0.0.1:" + gateway.managementPort() + "/";
  }

  JsonObject status() {
    HttpResponse<String> r = TestGateways.get(gateway.managementPort(), "/api/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  /** The endpoint {@code name} of write "w" in {@code status}. */
  static JsonObject endpointOf(JsonObject status, String name) {
    return status.getJsonArray("writes").getJsonObject(0).getJsonArray("endpoints").stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no endpoint " + name + " in " + status));
  }

  @Override
  public void close() {
    gateway.stop();
    a.close();
    b.close();
  }
}
