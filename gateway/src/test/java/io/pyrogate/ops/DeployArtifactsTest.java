package io.pyrogate.ops;

import static io.pyrogate.testing.Commands.onPath;
import static io.pyrogate.testing.Commands.run;
import static io.pyrogate.testing.TestGateways.config;
import static io.pyrogate.testing.TestGateways.endpoint;
import static io.pyrogate.testing.TestGateways.push;
import static io.pyrogate.testing.TestGateways.sharedKafka;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrogate.Gateway;
import io.pyrogate.config.WriteComponent;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.KafkaTest;
import io.pyrogate.testing.Profiles;
import io.pyrogate.testing.TestGateways;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard and Prometheus rules: the rules are valid and behave as their unit
 * tests say (with {@code promtool}, skipped when it is not installed), and every metric they query
 * is one a running pyrogate serves.
 */
@KafkaTest
class DeployArtifactsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Path DASHBOARD = DEPLOY.resolve("grafana/pyrogate-dashboard.json");
  private static final Path README = Path.of("..", "README.md");
  private static final Path RULES = DEPLOY.resolve("prometheus/alerts.yaml");
  private static final Path RULE_TESTS = DEPLOY.resolve("prometheus/alerts.test.yaml");

  /** Series Prometheus itself adds to every scrape. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

  /**
   * Operators, modifiers and literals; aggregations too, as "sum by (x) (...)" puts their clause
   * between them and their "(".
   */
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "Inf",
          "NaN",
          "inf",
          "nan",
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool is not on the PATH (Debian package prometheus; scripts/test installs it)");
    assertThat(run("promtool", "check", "rules", RULES.toString())).contains("SUCCESS");
    assertThat(run("promtool", "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
  }

  @Test
  void promtoolParsesEveryQueryOfTheDashboard(@TempDir Path dir) throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool is not on the PATH (Debian package prometheus; scripts/test installs it)");
    // Each panel query as a recording rule: promtool check rules parses its PromQL.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<String> exprs =
        dashboardExpressions().stream().filter(e -> !e.startsWith("label_values")).toList();
    for (int i = 0; i < exprs.size(); i++) {
      String promql = exprs.get(i).replace("$__rate_interval", "5m");
      rules.append("      - record: dashboard_query_").append(i).append('\n');
      rules.append("        expr: ").append(Json.encode(promql)).append('\n');
    }
    Path file = Files.writeString(dir.resolve("dashboard-queries.yaml"), rules);
    assertThat(run("promtool", "check", "rules", file.toString()))
        .contains("SUCCESS: " + exprs.size() + " rules found");
  }

  @Test
  void everyMetricTheDashboardAndTheRulesQueryIsServed() throws IOException {
    Set<String> queried = new TreeSet<>();
    for (String expr : dashboardExpressions()) {
      queried.addAll(metricNames(expr));
    }
    for (String expr : ruleExpressions()) {
      queried.addAll(metricNames(expr));
    }
    queried.removeAll(PROMETHEUS_OWN);
    // Not vacuous: the parsers found the queries.
    assertThat(queried)
        .contains(
            "pyrogate_endpoint_oldest_undelivered_seconds",
            "pyrogate_topic_retention_seconds",
            "pyroscope_write_latency_bucket",
            "pyrogate_ingest_requests_total",
            "pyrogate_ready")
        .hasSizeGreaterThan(15);

    try (FakePyroscope pyroscope = new FakePyroscope();
        Gateway gateway =
            TestGateways.start(
                config(
                    sharedKafka(),
                    0,
                    List.of(
                        new WriteComponent(
                            "staging", List.of(endpoint("a", pyroscope.url())), Map.of()))))) {
      int port = gateway.ingestPort("default");
      byte[] profile =
          Profiles.push("checkout", Profiles.jvmStacksPprof(1), Map.of()).toByteArray();
      assertThat(push(port, profile).statusCode()).isEqualTo(200);
      assertThat(push(port, "not a push request".getBytes(StandardCharsets.UTF_8)).statusCode())
          .isEqualTo(400);
      await().atMost(Duration.ofSeconds(30)).until(() -> pyroscope.delivered().size() == 1);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(served(TestGateways.get(gateway.managementPort(), "/metrics").body()))
                      .containsAll(queried));

      // And every pyrogate and pyroscope series it serves is in the README's metrics table.
      String table = metricsSection(Files.readString(README));
      Set<String> undocumented = new TreeSet<>();
      for (String name : served(TestGateways.get(gateway.managementPort(), "/metrics").body())) {
        String family = name.replaceAll("_(bucket|count|sum|max)$", "");
        if (name.matches("(pyrogate|pyroscope)_.*")
            && !table.contains("`" + family + "`")
            && !table.contains("`" + family.replaceAll("_total$", "") + "`")) {
          undocumented.add(name);
        }
      }
      assertThat(undocumented).as("served but not in the README's metrics table").isEmpty();
    }
  }

  /** The README's "## Metrics" section. */
  private static String metricsSection(String readme) {
    int start = readme.indexOf("\n## Metrics\n");
    assertThat(start).as("README has a Metrics section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** Names of the samples in a Prometheus text exposition. */
  private static Set<String> served(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      Matcher m = IDENTIFIER.matcher(line);
      if (!line.startsWith("#") && m.lookingAt()) {
        names.add(m.group());
      }
    }
    return names;
  }

  /**
   * The metric names a PromQL expression (or a Grafana {@code label_values} query) selects: every
   * identifier outside label matchers, ranges, strings and grouping clauses that is neither a
   * function (followed by "("), a keyword nor a Grafana variable.
   */
  static Set<String> metricNames(String expr) {
    String e =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings
            .replaceAll("\\$\\{?\\w+}?", "1") // Grafana variables: $__rate_interval, ${x}
            .replaceAll("label_values\\((.*),\\s*\\w+\\s*\\)", "$1") // its label argument
            .replaceAll("\\{[^}]*}", " ") // label matchers
            .replaceAll("\\[[^]]*]", " ") // ranges and subqueries
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ")
            .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " "); // numbers
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(e);
    while (m.find()) {
      String name = m.group();
      boolean function = e.substring(m.end()).stripLeading().startsWith("(");
      if (!function && !KEYWORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  @Test
  void metricNamesAreTheSelectedSeriesOnly() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le, endpoint) (rate(a_bucket{x=~\"$y\", le!=\"1\"}"
                    + "[$__rate_interval]))) / ignoring(outcome) group_left b_total"
                    + " > 0.8 * on (component_id) max(c_seconds < +Inf) and time() - d"))
        .containsExactly("a_bucket", "b_total", "c_seconds", "d");
    assertThat(metricNames("label_values(pyrogate_endpoint_up{component_id=~\"$c\"}, endpoint)"))
        .containsExactly("pyrogate_endpoint_up");
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    List<String> exprs = new ArrayList<>();
    collectPanels(dashboard.getJsonArray("panels"), exprs);
    for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject variable = (JsonObject) v;
      if ("query".equals(variable.getString("type"))) {
        exprs.add(variable.getString("definition"));
        exprs.add(variable.getJsonObject("query").getString("query"));
      }
    }
    return exprs;
  }

  private static void collectPanels(JsonArray panels, List<String> exprs) {
    for (Object p : panels) {
      JsonObject panel = (JsonObject) p;
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        exprs.add(((JsonObject) t).getString("expr"));
      }
      collectPanels(panel.getJsonArray("panels", new JsonArray()), exprs);
    }
  }

  /**
   * The {@code expr} of every rule: written on one line or as a {@code |} block (all alerts.yaml
   * uses).
   */
  private static List<String> ruleExpressions() throws IOException {
    List<String> exprs = new ArrayList<>();
    List<String> lines = Files.readAllLines(RULES);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).stripLeading();
      if (!line.startsWith("expr:")) {
        continue;
      }
      String value = line.substring("expr:".length()).strip();
      if (!value.equals("|")) {
        exprs.add(value);
        continue;
      }
      int indent = indent(lines.get(i));
      StringBuilder block = new StringBuilder();
      while (i + 1 < lines.size()
          && (lines.get(i + 1).isBlank() || indent(lines.get(i + 1)) > indent)) {
        block.append(lines.get(++i).strip()).append('\n');
      }
      exprs.add(block.toString());
    }
    assertThat(exprs).as("alert expressions in %s", RULES).hasSizeGreaterThan(5);
    return exprs;
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
