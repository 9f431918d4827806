package io.pyrogate.reliability.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.Profiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus is over 1,000 requests, every class is in it, and none carries a profile id.
 */
class HostileCorpusTest {
  @Test
  void holdsOverAThousandRequestsOfEveryClassWithoutIds() {
    List<HostileCorpus.Kind> kinds = HostileCorpus.kinds();
    List<HttpLoad.Request> requests = HostileCorpus.requests(kinds);

    assertTrue(requests.size() >= 1000, requests.size() + " requests");
    for (HostileCorpus.Kind k : kinds) {
      assertEquals(
          k.cases(), requests.stream().filter(r -> r.kind().equals(k.name())).count(), k.name());
    }
    assertTrue(requests.stream().allMatch(r -> r.id() == null && Profiles.ids(r.body()).isEmpty()));
  }
}
