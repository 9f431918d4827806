package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code remote_timeout} times one attempt on the wire: waiting for a free connection is no
 * attempt.
 */
@KafkaTest
class SlowEndpointTest {

  @Test
  void aSlowButHealthyEndpointGetsEveryProfileAndNothingIsDeadLettered() {
    // 1 s per answer, a 4 s timeout and 48 requests at once on 8 connections: a request that waited
    // in the pool for
    // four rounds of answers would time out before its own answer came (a wide margin for a loaded
    // machine).
    try (FakePyroscope pyroscope = new FakePyroscope().delayAnswers(Duration.ofSeconds(1));
        EndpointHarness harness =
            new EndpointHarness(
                EndpointHarness.endpoint(
                    """
             url = "%s"
             remote_timeout = "4s"
             max_backoff_retries = 1
             """
                        .formatted(pyroscope.url()),
                    Map.of()),
                EndpointClients.Settings.system(),
                List.of())) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        PushRequest request =
            Profiles.push("svc", Profiles.jvmStacksPprof(1), Map.of("i", Integer.toString(i)));
        sent.addAll(Profiles.sampleIds(request));
        harness.store("tenant-" + i, request); // one request each: batches never mix tenants
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pyroscope.deliveredSampleIds().size() >= sent.size());
      assertThat(harness.allDeadLetters()).extracting(ConsumerRecord::key).isEmpty();
      assertThat(pyroscope.deliveredSampleIds()).containsExactlyInAnyOrderElementsOf(sent);
    }
  }
}
