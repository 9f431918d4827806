package io.pyrogate.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The suite's counting, against a real recording endpoint on 127.0.0.1 fed real push requests. */
class CountsTest {
  @Test
  void countsDeliveredDuplicatedDeadLetteredAndLostById() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RecordingEndpoint a = RecordingEndpoint.create(vertx, "a", true)) {
      post(a, "id-1");
      post(a, "id-1");
      post(a, "id-2");
      Set<String> acknowledged = Set.of("id-1", "id-2", "id-3", "id-4");
      List<DeadLetter> deadLetters =
          List.of(
              new DeadLetter("a", "gave up", Set.of("id-3"), ""),
              new DeadLetter("refuser", "HTTP 400", Set.of("id-9"), ""));

      Counts c = Counts.of(acknowledged, List.of(a), deadLetters, Set.of("refuser"));

      assertEquals(4, c.acknowledged());
      assertEquals(2, c.delivered());
      assertEquals(1, c.duplicates());
      assertEquals(2, c.deadLettered());
      assertEquals(
          1,
          c.outageDeadLettered(),
          "id-3, dead-lettered by an endpoint that does not refuse on purpose");
      assertEquals(1, c.lost(), "id-4: neither delivered nor dead-lettered");
      assertEquals(List.of("id-4"), c.lostExamples());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aThrottlingEndpointRecordsAttemptsButNoDelivery() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RecordingEndpoint a = RecordingEndpoint.create(vertx, "a", true).throttleFor(60_000)) {
      assertEquals(429, post(a, "id-1"));
      assertEquals(0, a.deliveries("id-1"));
      assertEquals(1, a.attempts("id-1").size());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static int post(RecordingEndpoint e, String id) throws Exception {
    HttpResponse<Void> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(e.url() + "/push.v1.PusherService/Push"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Profiles.push("svc", id)))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }
}
