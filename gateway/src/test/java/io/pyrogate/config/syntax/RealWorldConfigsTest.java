package io.pyrogate.config.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real-world configs of alloy-behaviour.md §3.4 (A–D verbatim) and two more in the style of the
 * Pyroscope examples (tab indentation; logging, a comment-only block, pyroscope.java): each parses
 * without a diagnostic into the expected blocks, labels, attributes and evaluated values.
 */
class RealWorldConfigsTest {

  private static final Evaluator NO_ENV = new Evaluator(name -> null, "alloy-host");

  @Test
  void aPyroscopeWriteDocsExample() {
    assertThat(outline("a-pyroscope-write-docs.alloy", NO_ENV))
        .isEqualTo(
            String.join(
                "\n",
                "pyroscope.write \"staging\"",
                "  endpoint",
                "    url = \"http://pyroscope:4040\"",
                "    headers = {\"X-Scope-OrgID\": \"squad-1\"}",
                "  external_labels = {\"env\": \"staging\"}",
                "pyroscope.scrape \"default\"",
                "  targets = [{\"__address__\": \"pyroscope:4040\", \"service_name\": \"pyroscope\"},"
                    + " {\"__address__\": \"alloy:12345\", \"service_name\": \"alloy\"}]",
                "  forward_to = [ref(pyroscope.write.staging.receiver)]",
                ""));
  }

  @Test
  void bRideshareWithFourSpaceIndentationAndCommentedOutBlocks() {
    assertThat(outline("b-rideshare.alloy", NO_ENV))
        .isEqualTo(
            String.join(
                "\n",
                "pyroscope.receive_http \"default\"",
                "  http",
                "    listen_address = \"0.0.0.0\"",
                "    listen_port = 9999",
                "  forward_to = [ref(pyroscope.relabel.filter_profiles.receiver)]",
                "pyroscope.relabel \"filter_profiles\"",
                "  rule",
                "    action = \"replace\"",
                "    source_labels = [\"region\"]",
                "    target_label = \"geo_area\"",
                "    regex = \"(us-.*)\"",
                "    replacement = \"americas\"",
                "  rule",
                "    action = \"replace\"",
                "    source_labels = [\"service_name\"]",
                "    target_label = \"tier\"",
                "    regex = \"^load-generator$\"",
                "    replacement = \"testing\"",
                "  forward_to = [ref(pyroscope.write.backend.receiver)]",
                "pyroscope.write \"backend\"",
                "  endpoint",
                "    url = \"http://pyroscope:4040\"",
                ""));
  }

  @Test
  void cFleetManagementSecretsAreReferencesThroughNonsensitiveAndIndexing() {
    assertThat(outline("c-fleet-management.alloy", NO_ENV))
        .isEqualTo(
            String.join(
                "\n",
                "pyroscope.receive_http \"receiver\"",
                "  http",
                "    listen_port = 4040",
                "  forward_to = [ref(pyroscope.write.grafana_cloud.receiver)]",
                "pyroscope.write \"grafana_cloud\"",
                "  endpoint",
                "    url = ref(remote.kubernetes.secret.creds.data[\"profiles_url\"])",
                "    basic_auth",
                "      username = ref(remote.kubernetes.secret.creds.data[\"profiles_user\"])",
                "      password = ref(remote.kubernetes.secret.creds.data[\"access_token\"])",
                ""));
  }

  @Test
  void dCloudTemplateCoalescesAnUnsetVariableAndKeepsTerraformPlaceholdersLiteral() {
    assertThat(outline("d-cloud-template.alloy", NO_ENV))
        .isEqualTo(
            String.join(
                "\n",
                "pyroscope.scrape \"default\"",
                "  targets = [{\"__address__\": \"127.0.0.1:12345\", \"service_name\": \"alloy\"}]",
                "  forward_to = [ref(pyroscope.write.grafana_cloud.receiver)]",
                "  profiling_config",
                "    profile.process_cpu",
                "      enabled = true",
                "    profile.memory",
                "      enabled = true",
                "pyroscope.write \"grafana_cloud\"",
                "  endpoint",
                "    url = \"${profiles_url}\"",
                "    basic_auth",
                "      username = \"${profiles_id}\"",
                "      password = \"\"",
                ""));
  }

  @Test
  void dCloudTemplateReadsTheEnvironmentWhenSet() {
    Map<String, String> env =
        Map.of("ALLOY_ADDRESS", "10.0.0.7:12345", "GCLOUD_RW_API_KEY", "glc_secret");
    String outline = outline("d-cloud-template.alloy", new Evaluator(env::get, "h"));
    assertThat(outline)
        .contains("targets = [{\"__address__\": \"10.0.0.7:12345\", \"service_name\": \"alloy\"}]")
        .contains("password = \"glc_secret\"");
  }

  @Test
  void tabIndentedConfig() {
    assertThat(read("e-tabs.alloy")).contains("\n\t\tsource_labels");
    assertThat(outline("e-tabs.alloy", NO_ENV))
        .isEqualTo(
            String.join(
                "\n",
                "discovery.docker \"all\"",
                "  host = \"unix:///var/run/docker.sock\"",
                "discovery.relabel \"profiled\"",
                "  targets = ref(discovery.docker.all.targets)",
                "  rule",
                "    source_labels = [\"__meta_docker_container_label_profile\"]",
                "    regex = \"true\"",
                "    action = \"keep\"",
                "  rule",
                "    source_labels = [\"__meta_docker_container_name\"]",
                "    regex = \"/(.*)\"",
                "    target_label = \"service_name\"",
                "    action = \"replace\"",
                "pyroscope.ebpf \"containers\"",
                "  forward_to = [ref(pyroscope.write.local.receiver)]",
                "  targets = ref(discovery.relabel.profiled.output)",
                "pyroscope.write \"local\"",
                "  endpoint",
                "    url = \"http://pyroscope:4040\"",
                ""));
  }

  @Test
  void tabsCountAsOneColumn() {
    Body body = parseClean("e-tabs.alloy");
    Attribute host = (Attribute) ((Block) body.statements().get(0)).body().statements().get(0);
    assertThat(host.position()).isEqualTo(new Position("e-tabs.alloy", 2, 2));
    assertThat(host.value().position()).isEqualTo(new Position("e-tabs.alloy", 2, 9));
  }

  @Test
  void javaStyleConfigWithLoggingACommentOnlyBlockAndTheDeprecatedEnv() {
    Diagnostics diags = new Diagnostics();
    Body body = parseClean("f-java.alloy");
    String outline =
        Outline.of(
            body, new Evaluator(Map.of("PYROSCOPE_ENDPOINT", "http://p:4040")::get, "h"), diags);
    assertThat(outline)
        .isEqualTo(
            String.join(
                "\n",
                "logging",
                "  level = \"debug\"",
                "  format = \"logfmt\"",
                "discovery.process \"all\"",
                "pyroscope.java \"jvm\"",
                "  profiling_config",
                "    interval = \"15s\"",
                "    alloc = \"512k\"",
                "    cpu = true",
                "    sample_rate = 100",
                "  forward_to = [ref(pyroscope.write.local.receiver)]",
                "  targets = ref(discovery.process.all.targets)",
                "pyroscope.write \"local\"",
                "  endpoint",
                "    url = \"http://p:4040\"",
                "  external_labels = {\"env\": \"example\"}",
                ""));
    assertThat(diags.errors()).isEmpty();
    assertThat(diags.warnings())
        .extracting(Diagnostic::toString)
        .containsExactly("f-java.alloy:23:11: warning: env is deprecated; use sys.env instead");
  }

  @Test
  void aBlockWithOnlyACommentHasAnEmptyBody() {
    Block process = (Block) parseClean("f-java.alloy").statements().get(1);
    assertThat(process.name()).containsExactly("discovery", "process");
    assertThat(process.label()).isEqualTo("all");
    assertThat(process.labelPosition()).isEqualTo(new Position("f-java.alloy", 6, 19));
    assertThat(process.body().statements()).isEmpty();
  }

  @Test
  void loggingWithTwoAttributesOnOneLineIsAnErrorAsTheGrammarSays() {
    // Body = Statement { TERMINATOR Statement }: attributes must be separated by newlines. The real
    // java/docker config has them on separate lines; the one-line form is rejected, like Alloy
    // does.
    String source = "logging { level = \"debug\" format = \"logfmt\" }\n";
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("logging.alloy", source, diags);

    assertThat(diags.all())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "logging.alloy:1:27: error: expected newline after attribute \"level\", got identifier \"format\"");
    // The tree still holds both attributes, so later stages can check them too.
    Block logging = (Block) body.statements().get(0);
    assertThat(logging.body().statements())
        .extracting(Statement::position)
        .containsExactly(
            new Position("logging.alloy", 1, 11), new Position("logging.alloy", 1, 27));
  }

  @Test
  void loggingWithOneAttributeOnOneLineIsFine() {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse("logging.alloy", "logging { level = \"debug\" }", diags);
    assertThat(diags.all()).isEmpty();
    assertThat(Outline.of(body, NO_ENV, diags)).isEqualTo("logging\n  level = \"debug\"\n");
  }

  @Test
  void topLevelBlocksAndLabelsOfAllConfigs() {
    assertThat(blockNames("a-pyroscope-write-docs.alloy"))
        .containsExactly("pyroscope.write \"staging\"", "pyroscope.scrape \"default\"");
    assertThat(blockNames("b-rideshare.alloy"))
        .containsExactly(
            "pyroscope.receive_http \"default\"",
            "pyroscope.relabel \"filter_profiles\"",
            "pyroscope.write \"backend\"");
    assertThat(blockNames("c-fleet-management.alloy"))
        .containsExactly(
            "pyroscope.receive_http \"receiver\"", "pyroscope.write \"grafana_cloud\"");
    assertThat(blockNames("d-cloud-template.alloy"))
        .containsExactly("pyroscope.scrape \"default\"", "pyroscope.write \"grafana_cloud\"");
    assertThat(blockNames("f-java.alloy"))
        .containsExactly(
            "logging",
            "discovery.process \"all\"",
            "pyroscope.java \"jvm\"",
            "pyroscope.write \"local\"");
  }

  private static List<String> blockNames(String file) {
    return parseClean(file).statements().stream()
        .map(
            s ->
                ((Block) s).fullName()
                    + (((Block) s).label() == null ? "" : " \"" + ((Block) s).label() + "\""))
        .collect(java.util.stream.Collectors.toList());
  }

  private static String outline(String file, Evaluator evaluator) {
    Diagnostics diags = new Diagnostics();
    String outline = Outline.of(parseClean(file), evaluator, diags);
    assertThat(diags.all()).as("evaluation diagnostics of " + file).isEmpty();
    return outline;
  }

  static Body parseClean(String file) {
    Diagnostics diags = new Diagnostics();
    Body body = AlloyParser.parse(file, read(file), diags);
    assertThat(diags.all()).as("parse diagnostics of " + file).isEmpty();
    return body;
  }

  static String read(String file) {
    try (InputStream in = RealWorldConfigsTest.class.getResourceAsStream("realworld/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource realworld/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> allFiles() {
    return List.of(
        "a-pyroscope-write-docs.alloy",
        "b-rideshare.alloy",
        "c-fleet-management.alloy",
        "d-cloud-template.alloy",
        "e-tabs.alloy",
        "f-java.alloy");
  }
}
