package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.golang.Url;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alloy's AppendIngest rules for the {@code name} of an /ingest query, and Pyroscope's label set
 * syntax.
 */
class IngestQueryLabelsTest {

  private static String name(String rawQuery) {
    return Url.queryGet(rawQuery, "name");
  }

  @Test
  void withoutExternalLabelsTheQueryIsReturnedAsItIs() {
    String query = "name=app%7Benv%3Ddev%7D&from=1&a=b;c&name=x";
    assertThat(new ExternalLabels(Map.of()).applyToIngestQuery(query)).isSameAs(query);
  }

  @Test
  void externalLabelsOverrideAddAndDeleteAndTheNameIsRenderedSorted() {
    String query =
        "name="
            + Url.queryEscape("shop.cpu{zone=a, env=dev,instance=pod-1}")
            + "&from=1700000000&until=1700000010&format=jfr&spyName=java+spy&sampleRate=100";
    Map<String, String> external = new LinkedHashMap<>();
    external.put("env", "prod");
    external.put("instance", "");
    external.put("cluster", "eu-1");
    String out = new ExternalLabels(external).applyToIngestQuery(query);
    assertThat(name(out)).isEqualTo("shop.cpu{cluster=eu-1,env=prod,zone=a}");
    assertThat(out)
        .isEqualTo(
            "name=shop.cpu%7Bcluster%3Deu-1%2Cenv%3Dprod%2Czone%3Da%7D"
                + "&from=1700000000&until=1700000010&format=jfr&spyName=java+spy&sampleRate=100");
  }

  @Test
  void otherParametersStayByteForByteWhereverTheNameIs() {
    String query =
        "from=1&spyName=java%20spy&&x=a;b&name=app&aggregationType=sum&name=second&units=%41";
    String out = new ExternalLabels(Map.of("env", "prod")).applyToIngestQuery(query);
    assertThat(out)
        .isEqualTo(
            "from=1&spyName=java%20spy&&x=a;b&name=app%7Benv%3Dprod%7D&aggregationType=sum&units=%41");
  }

  @Test
  void serviceNameBecomesTheApplicationNameAsEnsureNameMatchesServiceDoes() {
    String query =
        "name=" + Url.queryEscape("legacy.app{service_name=checkout,env=dev}") + "&format=pprof";
    assertThat(name(new ExternalLabels(Map.of("team", "a")).applyToIngestQuery(query)))
        .isEqualTo("checkout{env=dev,service_name=checkout,team=a}");
    // An external service_name is applied after that step, as in Alloy: the application name stays.
    assertThat(
            name(
                new ExternalLabels(Map.of("service_name", "other")).applyToIngestQuery("name=app")))
        .isEqualTo("app{service_name=other}");
  }

  @Test
  void reservedLabelsAreKeptOnTheIngestPath() {
    assertThat(
            name(
                new ExternalLabels(Map.of("env", "prod"))
                    .applyToIngestQuery("name=app%7B__session_id__%3D7%7D")))
        .isEqualTo("app{__session_id__=7,env=prod}");
  }

  @Test
  void aNamePyroscopeRefusesCannotBeRelabelled() {
    ExternalLabels external = new ExternalLabels(Map.of("env", "prod"));
    assertThatThrownBy(() -> external.applyToIngestQuery("from=1"))
        .isInstanceOf(LabelSet.InvalidNameException.class)
        .hasMessage("service name is required");
    assertThatThrownBy(
            () -> external.applyToIngestQuery("name=" + Url.queryEscape("app{bad-key=1}")))
        .isInstanceOf(LabelSet.InvalidNameException.class)
        .hasMessage("invalid label name: bad-key: character is not allowed: '-'");
  }

  @Test
  void labelSetParsesAsPyroscopeAndNormalizesWithSortedKeys() {
    LabelSet set = LabelSet.parse(" my/app.cpu { b = 2 ,a=1,}");
    assertThat(set.labels())
        .containsExactly(
            Map.entry("__name__", "my/app.cpu"), Map.entry("b", "2"), Map.entry("a", "1"));
    assertThat(LabelSet.normalized(set.labels())).isEqualTo("my/app.cpu{a=1,b=2}");
    assertThat(LabelSet.normalized(LabelSet.parse("app").labels())).isEqualTo("app{}");
    assertThatThrownBy(() -> LabelSet.parse("app!{}"))
        .isInstanceOf(LabelSet.InvalidNameException.class)
        .hasMessage("invalid service name: app!: character is not allowed: '!'");
  }

  @Test
  void queryEscapeIsGos() {
    assertThat(Url.queryEscape("a b{c=d,é}~-_.")).isEqualTo("a+b%7Bc%3Dd%2C%C3%A9%7D~-_.");
  }
}
