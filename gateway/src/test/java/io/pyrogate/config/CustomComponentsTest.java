package io.pyrogate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expansion of Alloy custom components ({@code declare}, {@code argument}, {@code export}). */
class CustomComponentsTest {
  /** k8s-monitoring-helm's rendered profiles receiver, with its instance and a destination. */
  static final String RECEIVER =
      """
      declare "profiles_receiver" {
        argument "profiles_destinations" {
          comment = "Must be a list of profile destinations where collected profiles should be forwarded to"
        }

        pyroscope.receive_http "default" {
          http {
            listen_address = "0.0.0.0"
            listen_port = "4040"
          }

          forward_to = [pyroscope.relabel.default.receiver]
        }

        pyroscope.relabel "default" {
          rule {
            source_labels = ["env"]
            target_label = "__tmp_hash"
            action = "hashmod"
            modulus = 2
          }
          rule {
            source_labels = ["__tmp_hash"]
            action       = "drop"
            regex        = "^1$"
          }
          forward_to = argument.profiles_destinations.value
        }
      }
      profiles_receiver "feature" {
        profiles_destinations = [pyroscope.write.backend.receiver]
      }
      pyroscope.write "backend" {
        endpoint {
          url = "http://pyroscope:4040"
        }
      }
      """;

  private static ConfigLoader.Result load(String source) {
    return ConfigLoader.parse("test.alloy", source, Map.<String, String>of()::get);
  }

  @Test
  void expandsTheK8sMonitoringProfilesReceiverIntoRelabelledComponents() {
    GatewayConfig c = load(RECEIVER).config();
    assertThat(c.receivers()).hasSize(1);
    ReceiveHttpComponent receiver = c.receivers().get(0);
    assertThat(receiver.label()).isEqualTo("profiles_receiver_feature_default");
    assertThat(receiver.server().listenPort()).isEqualTo(4040);
    assertThat(receiver.forwardTo())
        .containsExactly("pyroscope.relabel.profiles_receiver_feature_default");
    RelabelComponent relabel = c.relabels().get(0);
    assertThat(relabel.label()).isEqualTo("profiles_receiver_feature_default");
    assertThat(relabel.rules()).hasSize(2);
    assertThat(relabel.forwardTo()).containsExactly("backend");
  }

  @Test
  void twoInstancesGetTheirOwnComponentsAndArguments() {
    GatewayConfig c =
        load("""
            declare "recv" {
              argument "port" { }
              argument "to" { }
              pyroscope.receive_http "in" {
                http {
                  listen_port = argument.port.value
                }
                forward_to = argument.to.value
              }
            }
            recv "a" {
              port = 4041
              to   = [pyroscope.write.one.receiver]
            }
            recv "b" {
              port = 4042
              to   = [pyroscope.write.two.receiver]
            }
            pyroscope.write "one" { }
            pyroscope.write "two" { }
            """)
            .config();
    assertThat(c.receivers())
        .extracting(r -> r.label() + ":" + r.server().listenPort() + ":" + r.forwardTo())
        .containsExactly("recv_a_in:4041:[one]", "recv_b_in:4042:[two]");
  }

  @Test
  void anOptionalArgumentTakesItsDefaultOrNull() {
    GatewayConfig c =
        load("""
            declare "recv" {
              argument "port" {
                optional = true
                default  = 4043
              }
              argument "limit" {
                optional = true
              }
              pyroscope.receive_http "in" {
                http {
                  listen_port = argument.port.value
                  conn_limit  = argument.limit.value
                }
                forward_to = [pyroscope.write.w.receiver]
              }
            }
            recv "a" { }
            recv "b" {
              port = 4044
            }
            pyroscope.write "w" { }
            """)
            .config();
    assertThat(c.receivers()).extracting(r -> r.server().listenPort()).containsExactly(4043, 4044);
    assertThat(c.receivers().get(0).server().connLimit())
        .isEqualTo(ReceiveHttpComponent.HttpServerConfig.defaults().connLimit());
  }

  @Test
  void anExportIsUsableByOtherComponents() {
    GatewayConfig c =
        load("""
            declare "filter" {
              argument "to" { }
              pyroscope.relabel "keep" {
                rule {
                  action        = "keep"
                  source_labels = ["env"]
                  regex         = "prod"
                }
                forward_to = argument.to.value
              }
              export "receiver" {
                value = pyroscope.relabel.keep.receiver
              }
            }
            filter "prod" {
              to = [pyroscope.write.w.receiver]
            }
            pyroscope.receive_http "in" {
              forward_to = [filter.prod.receiver]
            }
            pyroscope.write "w" { }
            """)
            .config();
    assertThat(c.receivers().get(0).forwardTo())
        .containsExactly("pyroscope.relabel.filter_prod_keep");
    assertThat(c.relabels().get(0).forwardTo()).containsExactly("w");
  }

  @Test
  void alloysAddExampleExportsAValueAndADeclaredWriteNamesItsTopicByItsInstance() {
    GatewayConfig c =
        load("""
            declare "add" {
              argument "a" { }
              argument "b" { }
              export "sum" {
                value = argument.a.value + argument.b.value
              }
            }
            add "example" {
              a = 4000
              b = 40
            }
            declare "sink" {
              argument "url" { }
              pyroscope.write "w" {
                endpoint {
                  url = argument.url.value
                }
              }
              export "receiver" {
                value = pyroscope.write.w.receiver
              }
            }
            sink "staging" {
              url = "http://pyroscope-staging:4040"
            }
            pyroscope.receive_http "in" {
              http {
                listen_port = add.example.sum
              }
              forward_to = [sink.staging.receiver]
            }
            """)
            .config();
    assertThat(c.receivers().get(0).server().listenPort()).isEqualTo(4040);
    assertThat(c.receivers().get(0).forwardTo()).containsExactly("sink_staging_w");
    assertThat(c.writes()).extracting(WriteComponent::label).containsExactly("sink_staging_w");
  }

  @Test
  void declaresNestAndUseTheDeclaresAroundThem() {
    GatewayConfig c =
        load("""
            declare "sink" {
              argument "url" { }
              pyroscope.write "w" {
                endpoint {
                  url = argument.url.value
                }
              }
              export "receiver" {
                value = pyroscope.write.w.receiver
              }
            }
            declare "pipeline" {
              argument "url" { }
              declare "filter" {
                argument "to" { }
                pyroscope.relabel "r" {
                  forward_to = argument.to.value
                }
                export "receiver" {
                  value = pyroscope.relabel.r.receiver
                }
              }
              sink "out" {
                url = argument.url.value
              }
              filter "f" {
                to = [sink.out.receiver]
              }
              pyroscope.receive_http "in" {
                forward_to = [filter.f.receiver]
              }
            }
            pipeline "p" {
              url = "http://pyroscope:4040"
            }
            """)
            .config();
    assertThat(c.receivers().get(0).label()).isEqualTo("pipeline_p_in");
    assertThat(c.receivers().get(0).forwardTo())
        .containsExactly("pyroscope.relabel.pipeline_p_filter_f_r");
    assertThat(c.relabels().get(0).label()).isEqualTo("pipeline_p_filter_f_r");
    assertThat(c.relabels().get(0).forwardTo()).containsExactly("pipeline_p_sink_out_w");
    assertThat(c.writes().get(0).endpoints().get(0).url().toString())
        .isEqualTo("http://pyroscope:4040");
  }

  @Test
  void aDeclareThatInstantiatesItselfIsRefused() {
    assertThat(
            errors(
                """
            declare "loop" {
              loop "again" { }
            }
            loop "x" { }
            """))
        .containsExactly(
            "test.alloy:2:3: error: custom component loop \"again\" is an instance of declare"
                + " \"loop\" inside its own body: it would never end");
  }

  @Test
  void aMissingRequiredArgumentIsReportedAtTheInstance() {
    assertThat(errors(RECEIVER.replace("profiles_destinations = [", "// [")))
        .containsExactly(
            "test.alloy:30:1: error: missing required argument \"profiles_destinations\" to"
                + " profiles_receiver \"feature\"");
  }

  @Test
  void anUnknownArgumentIsReportedWhereItIsSet() {
    assertThat(
            errors(
                RECEIVER.replace(
                    "profiles_destinations = [",
                    "profile_destinations = [pyroscope.write.backend.receiver]\n  profiles_destinations = [")))
        .containsExactly(
            "test.alloy:31:3: error: unsupported argument \"profile_destinations\" in"
                + " profiles_receiver \"feature\"; declare \"profiles_receiver\" has arguments"
                + " profiles_destinations; did you mean \"profiles_destinations\"?");
  }

  @Test
  void errorsInsideADeclaredBodyKeepTheirPositionInTheBody() {
    assertThat(errors(RECEIVER.replace("action = \"hashmod\"", "action = \"hashmodd\"")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .startsWith("test.alloy:19:7: error: unrecognized action type \"hashmodd\""));
    assertThat(errors(RECEIVER.replace("listen_port = \"4040\"", "listen_port = \"port\"")))
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("test.alloy:9:21: error:"));
    assertThat(
            errors(
                RECEIVER.replace(
                    "argument.profiles_destinations.value", "argument.profile_destinations.value")))
        .containsExactly(
            "test.alloy:27:18: error: argument \"profile_destinations\" is not declared in the"
                + " declare of profiles_receiver \"feature\"; did you mean"
                + " \"profiles_destinations\"?");
  }

  @Test
  void anArgumentIsReadThroughItsValueField() {
    assertThat(
            errors(
                RECEIVER.replace(
                    "argument.profiles_destinations.value", "argument.profiles_destinations")))
        .containsExactly(
            "test.alloy:27:18: error: argument.profiles_destinations is read as"
                + " argument.profiles_destinations.value");
  }

  @Test
  void anErrorInAnArgumentsValueIsReportedAtTheInstance() {
    assertThat(
            errors(
                RECEIVER.replace(
                    "pyroscope.write.backend.receiver", "pyroscope.write.nope.receiver")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .startsWith(
                        "test.alloy:31:28: error: forward_to of pyroscope.relabel"
                            + " \"profiles_receiver_feature_default\" names pyroscope.write"
                            + " \"nope\", which is not defined"));
  }

  @Test
  void anArgumentReadTwiceWithAnErrorIsReportedOnce() {
    assertThat(
            errors(
                """
            declare "pair" {
              argument "port" { }
              pyroscope.receive_http "a" {
                http {
                  listen_port = argument.port.value
                }
                forward_to = []
              }
              pyroscope.receive_http "b" {
                http {
                  conn_limit = argument.port.value
                }
                forward_to = []
              }
            }
            pair "x" {
              port = "abc"
            }
            """))
        .containsExactly("test.alloy:17:10: error: \"abc\" should be number, got string");
  }

  @Test
  void aMissingExportOrInstanceIsReported() {
    String source =
        RECEIVER
            + """
            pyroscope.receive_http "other" {
              forward_to = [profiles_receiver.feature.receiver, profiles_receiver.other.receiver]
            }
            """;
    assertThat(errors(source))
        .containsExactly(
            "test.alloy:39:17: error: custom component profiles_receiver \"feature\" has no export"
                + " \"receiver\"",
            "test.alloy:39:53: error: custom component profiles_receiver \"other\" is not defined");
  }

  @Test
  void anUninstantiatedDeclareIsAWarningAndRunsNothing() {
    ConfigLoader.Result r =
        load(RECEIVER.substring(0, RECEIVER.indexOf("profiles_receiver \"feature\"")));
    assertThat(r.config().receivers()).isEmpty();
    assertThat(r.diagnostics().warnings())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "test.alloy:1:1: warning: declare \"profiles_receiver\" is never instantiated (e.g."
                + " profiles_receiver \"default\" { ... }): its components do not run");
  }

  @Test
  void validateAcceptsTheK8sMonitoringExample() {
    ConfigLoader.Result r =
        ConfigLoader.load(
            Path.of("../examples/k8s-monitoring-profiles-receiver.alloy"),
            Map.<String, String>of()::get,
            ConfigLoader.Mode.VALIDATE);
    assertThat(r.config().receivers())
        .extracting(ReceiveHttpComponent::label)
        .containsExactly("profiles_receiver_feature_default");
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
