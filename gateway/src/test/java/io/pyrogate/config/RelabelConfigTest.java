package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.Severity;
import io.pyrogate.relabel.RelabelRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding and validation of {@code pyroscope.relabel} components and the forward_to into them. */
class RelabelConfigTest {
  private static ConfigLoader.Result load(String source) {
    return ConfigLoader.parse("test.alloy", source, Map.<String, String>of()::get);
  }

  @Test
  void readsRulesWithAlloysDefaultsAndWiresReceiverRelabelWrite() {
    GatewayConfig c =
        load("""
        pyroscope.receive_http "default" {
          forward_to = [pyroscope.relabel.filter.receiver]
        }
        pyroscope.relabel "filter" {
          forward_to = [pyroscope.relabel.more.receiver, pyroscope.write.backend.receiver]
          rule {
            source_labels = ["region"]
            target_label  = "geo_area"
            regex         = "(us-.*)"
            replacement   = "americas"
          }
          rule {
            action = "labeldrop"
            regex  = "tmp_.*"
          }
        }
        pyroscope.relabel "more" {
          forward_to     = [pyroscope.write.backend.receiver]
          max_cache_size = 5
        }
        pyroscope.write "backend" { }
        """)
            .config();
    assertThat(c.receivers().get(0).forwardTo()).containsExactly("pyroscope.relabel.filter");
    RelabelComponent filter = c.relabels().get(0);
    assertThat(filter.label()).isEqualTo("filter");
    assertThat(filter.forwardTo()).containsExactly("pyroscope.relabel.more", "backend");
    assertThat(filter.maxCacheSize()).isEqualTo(10_000);
    assertThat(filter.rules())
        .containsExactly(
            new RelabelRule(
                List.of("region"),
                ";",
                "(us-.*)",
                0,
                "geo_area",
                "americas",
                RelabelRule.Action.REPLACE),
            new RelabelRule(null, ";", "tmp_.*", 0, "", "$1", RelabelRule.Action.LABELDROP));
    assertThat(c.relabels().get(1).maxCacheSize()).isEqualTo(5);
    assertThat(c.relabels().get(1).rules()).isEmpty();
    assertThat(c.summary()).contains("2 pyroscope.relabel");
  }

  @Test
  void theEffectiveConfigurationRendersRelabelComponentsThatReadBackTheSame() {
    GatewayConfig c =
        load("""
        pyroscope.relabel "r" {
          forward_to = [pyroscope.write.w.receiver]
          rule {
            source_labels = ["env"]
            target_label  = "__tmp_hash"
            action        = "hashmod"
            modulus       = 2
          }
          rule {
            action = "labelmap"
            regex  = "k8s_(.*)"
          }
        }
        pyroscope.write "w" { }
        """)
            .config();

    String rendered = ConfigRenderer.render(c);

    assertThat(rendered).contains("pyroscope.relabel \"r\"", "action = \"hashmod\"", "modulus = 2");
    assertThat(load(rendered).config().relabels()).isEqualTo(c.relabels());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      unknown action          | rule {\\n    action = "rename"\\n  } | test.alloy:4:5: error: unrecognized action type "rename"
      regex does not compile  | rule {\\n    target_label = "t"\\n    regex = "(a"\\n  } | test.alloy:5:5: error: error parsing regexp: missing closing ): `^(?s:(a)$`
      hashmod without modulus | rule {\\n    action = "hashmod"\\n    target_label = "t"\\n  } | test.alloy:3:3: error: relabel configuration for hashmod requires non-zero modulus
      replace without target  | rule {\\n    source_labels = ["a"]\\n  } | test.alloy:3:3: error: relabel configuration for replace action requires 'target_label' value
      bad replace target      | rule {\\n    target_label = "-${1}"\\n  } | test.alloy:3:3: error: "-${1}" is invalid 'target_label' for replace action
      labeldrop with target   | rule {\\n    action = "labeldrop"\\n    target_label = "x"\\n  } | test.alloy:3:3: error: labeldrop action requires only 'regex', and no other fields
      unknown rule attribute  | rule {\\n    target = "x"\\n  } | test.alloy:4:5: error: unrecognized attribute "target" in pyroscope.relabel "r" rule
      max_cache_size 0        | max_cache_size = 0 | test.alloy:3:3: error: max_cache_size of pyroscope.relabel "r" must provide a positive size
      forward_to a rules      | forward_to = [pyroscope.relabel.r.rules] | test.alloy:3:17: error: forward_to of pyroscope.relabel "r" names pyroscope.relabel.r.rules: pyroscope.relabel exports "receiver" (profiles) and "rules"; forward to its receiver
      forward_to missing      | forward_to = [pyroscope.relabel.nope.receiver] | test.alloy:3:17: error: forward_to of pyroscope.relabel "r" names pyroscope.relabel "nope", which is not defined
      forward_to itself       | forward_to = [pyroscope.relabel.r.receiver] | test.alloy:3:17: error: forward_to of pyroscope.relabel "r" makes a cycle: pyroscope.relabel.r -> pyroscope.relabel.r; a profile would be relabelled for ever
      """)
  void reportsEachMistakeWithItsPosition(String name, String body, String expected) {
    String source =
        "pyroscope.write \"w\" { }\npyroscope.relabel \"r\" {\n  "
            + body.replace("\\n", "\n")
            + (body.startsWith("forward_to") ? "" : "\n  forward_to = [pyroscope.write.w.receiver]")
            + "\n}\n";
    assertThat(errors(source)).anySatisfy(e -> assertThat(e).startsWith(expected));
  }

  @Test
  void aCycleThroughSeveralRelabelsIsReportedOnceWithItsPath() {
    List<String> errors =
        errors(
            """
        pyroscope.relabel "a" {
          forward_to = [pyroscope.relabel.b.receiver]
        }
        pyroscope.relabel "b" {
          forward_to = [pyroscope.relabel.c.receiver]
        }
        pyroscope.relabel "c" {
          forward_to = [pyroscope.relabel.a.receiver]
        }
        """);
    assertThat(errors)
        .containsExactly(
            "test.alloy:8:17: error: forward_to of pyroscope.relabel \"c\" makes a cycle:"
                + " pyroscope.relabel.a -> pyroscope.relabel.b -> pyroscope.relabel.c ->"
                + " pyroscope.relabel.a; a profile would be relabelled for ever");
  }

  @Test
  void forwardToIsRequired() {
    assertThat(errors("pyroscope.relabel \"r\" {\n}\n"))
        .containsExactly(
            "test.alloy:1:1: error: missing required attribute \"forward_to\" in pyroscope.relabel"
                + " \"r\"");
  }

  private static List<String> errors(String source) {
    try {
      load(source);
      throw new AssertionError("expected configuration errors");
    } catch (ConfigException e) {
      return e.diagnostics().stream()
          .filter(d -> d.severity() == Severity.ERROR)
          .map(Diagnostic::toString)
          .toList();
    }
  }
}
