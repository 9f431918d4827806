package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalLabelsTest {

  private static PushRequest request(String... nameValues) {
    RawProfileSeries.Builder s = RawProfileSeries.newBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      s.addLabels(LabelPair.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return PushRequest.newBuilder().addSeries(s).build();
  }

  private static Map<String, String> labels(PushRequest r) {
    Map<String, String> m = new LinkedHashMap<>();
    r.getSeries(0).getLabelsList().forEach(p -> m.put(p.getName(), p.getValue()));
    return m;
  }

  @Test
  void overridesAddsAndDeletesAsAlloyDoes() {
    PushRequest in =
        request(
            "__name__", "process_cpu", "service_name", "cart", "instance", "pod-1", "env", "dev");
    PushRequest out =
        new ExternalLabels(Map.of("env", "prod", "instance", "", "cluster", "eu-1", "az", "a"))
            .apply(in);
    assertThat(labels(out))
        .containsExactly(
            Map.entry("__name__", "process_cpu"),
            Map.entry("service_name", "cart"),
            Map.entry("env", "prod"),
            Map.entry("az", "a"),
            Map.entry("cluster", "eu-1"));
  }

  @Test
  void dropsReservedLabelsButKeepsNameAndDelta() {
    PushRequest in =
        request(
            "__name__",
            "memory",
            "__delta__",
            "false",
            "__session_id__",
            "abc",
            "__period__",
            "x",
            "service_name",
            "s");
    assertThat(labels(new ExternalLabels(Map.of()).apply(in)))
        .containsOnlyKeys("__name__", "__delta__", "service_name");
  }

  @Test
  void aRequestThatNeedsNoChangeIsReturnedAsItIs() {
    PushRequest in = request("service_name", "s", "env", "prod");
    assertThat(new ExternalLabels(Map.of()).apply(in)).isSameAs(in);
    assertThat(new ExternalLabels(Map.of("env", "prod")).apply(in)).isSameAs(in);
  }
}
