package io.pyrogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.push.v1.RawSample;
import io.pyrogate.proto.types.v1.LabelPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves the benchmark harness still works: the load generator against a tiny local receiver, for 2
 * s.
 */
class LoadGenSmokeTest {
  @Test
  void openLoopAtAFixedRateReportsPlausibleNumbers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LoadGen gen = new LoadGen(vertx);
        Receiver receiver = Receiver.start(vertx, false)) {
      List<LoadGen.Target> targets =
          List.of(
              new LoadGen.Target(
                  "/push.v1.PusherService/Push",
                  "application/proto",
                  Buffer.buffer(request(3).toByteArray())));
      JsonObject r = gen.run(LoadGen.Options.of(receiver.port(), 200, 2), targets);

      assertEquals("open", r.getString("mode"));
      assertEquals(400, r.getLong("scheduled"));
      assertEquals(400, r.getLong("ok"), r.encode());
      assertEquals(0, r.getLong("errors"), r.encode());
      assertTrue(r.getDouble("rps") > 150 && r.getDouble("rps") < 250, r.encode());
      assertNotNull(r.getDouble("p50_ms"));
      assertTrue(
          r.getDouble("p50_ms") > 0
              && r.getDouble("p50_ms") <= r.getDouble("p99_ms")
              && r.getDouble("p99_ms") <= r.getDouble("p999_ms")
              && r.getDouble("p999_ms") < 2000,
          r.encode());
      assertEquals(400, receiver.requests());
      assertEquals(1200, receiver.profiles(), "three samples counted per push request");

      JsonObject max =
          gen.run(LoadGen.Options.of(receiver.port(), 0, 1).withConnections(4), targets);
      assertEquals("max", max.getString("mode"));
      assertTrue(max.getLong("ok") > 10 && max.getLong("errors") == 0, max.encode());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void blackholedReceiverNeverAnswersAndTheGeneratorGivesUpInTime() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LoadGen gen = new LoadGen(vertx);
        Receiver hole = Receiver.start(vertx, true)) {
      LoadGen.Options o = new LoadGen.Options("127.0.0.1", hole.port(), 20, 0.5, 4, 100, 500);
      long t0 = System.nanoTime();
      JsonObject r =
          gen.run(
              o, List.of(new LoadGen.Target("/ingest", "text/plain", Buffer.buffer("foo;bar 1"))));
      assertEquals(0, r.getLong("ok"));
      assertEquals(10, r.getLong("errors"), r.encode());
      assertTrue((System.nanoTime() - t0) / 1e9 < 10, "bounded in time");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void configHasOneEndpointBlockPerEndpoint() {
    String c =
        Pyrogate.config(
            4040, 9092, List.of(new Pyrogate.Endpoint("a", 1), new Pyrogate.Endpoint("b", 2)));
    assertTrue(c.contains("listen_port    = 4040") && c.contains("127.0.0.1:9092"), c);
    assertEquals(2, c.split("endpoint \\{").length - 1, c);
  }

  private static PushRequest request(int samples) {
    RawProfileSeries.Builder s =
        RawProfileSeries.newBuilder()
            .addLabels(LabelPair.newBuilder().setName("service_name").setValue("smoke"));
    for (int i = 0; i < samples; i++) {
      s.addSamples(RawSample.newBuilder().setRawProfile(ByteString.copyFromUtf8("profile-" + i)));
    }
    return PushRequest.newBuilder().addSeries(s).build();
  }
}
