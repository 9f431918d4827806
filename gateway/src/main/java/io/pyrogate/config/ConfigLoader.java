package io.pyrogate.config;

import io.pyrogate.config.syntax.AlloyParser;
import io.pyrogate.config.syntax.Attribute;
import io.pyrogate.config.syntax.Block;
import io.pyrogate.config.syntax.Body;
import io.pyrogate.config.syntax.Diagnostic;
import io.pyrogate.config.syntax.DiagnosticPrinter;
import io.pyrogate.config.syntax.Diagnostics;
import io.pyrogate.config.syntax.Evaluator;
import io.pyrogate.config.syntax.Position;
import io.pyrogate.config.syntax.ReferenceValue;
import io.pyrogate.config.syntax.Severity;
import io.pyrogate.config.syntax.Statement;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns an Alloy file into a {@link GatewayConfig}: parse, evaluate, decode and validate,
 * collecting every problem with its file:line:col before anything starts.
 */
public final class ConfigLoader {
  /** Components pyrogate runs. */
  static final Set<String> COMPONENTS =
      Set.of(
          "pyroscope.write",
          "pyroscope.receive_http",
          "pyroscope.receive_kafka",
          "pyroscope.relabel");

  /**
   * Alloy components and configuration blocks pyrogate does not run: reported as warnings so a
   * user's full Alloy file still loads. Matched as exact names or, for namespaces ending in ".", as
   * prefixes.
   */
  static final List<String> FOREIGN =
      List.of(
          "tracing",
          "http",
          "livedebugging",
          "remotecfg",
          "foreach",
          "import.",
          "argument",
          "export",
          "pyroscope.scrape",
          "pyroscope.ebpf",
          "pyroscope.java",
          "pyroscope.enrich",
          "discovery.",
          "prometheus.",
          "loki.",
          "otelcol.",
          "local.",
          "remote.",
          "faro.",
          "mimir.",
          "beyla.",
          "database_observability.",
          "module.",
          "otel.",
          "stage.");

  /**
   * The loaded configuration and its warnings.
   *
   * @param source the configuration's text with its secrets masked, for showing lines of it
   */
  public record Result(GatewayConfig config, Diagnostics diagnostics, String source) {
    /** Warnings rendered for humans; empty when there are none. */
    public String renderedWarnings() {
      return DiagnosticPrinter.renderAll(diagnostics.warnings(), f -> source);
    }
  }

  private ConfigLoader() {}

  /** What the configuration is loaded for. */
  public enum Mode {
    /** To run it: everything must be runnable. */
    RUN,
    /**
     * To check a whole Alloy file: parts that only Alloy can run (values from, and forwarding into,
     * components pyrogate does not run) are warnings.
     */
    VALIDATE
  }

  public static Result load(Path file, Function<String, String> environment) {
    return load(file, environment, Mode.RUN);
  }

  public static Result load(Path file, Function<String, String> environment, Mode mode) {
    return parse(file.toString(), read(file), environment, mode);
  }

  /** The file's text; a one-line error saying why when it cannot be read. */
  private static String read(Path file) {
    if (Files.isDirectory(file)) {
      throw new ConfigException("not a file but a directory: " + file + "\n", List.of());
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("no such file: " + file + "\n", List.of());
    } catch (AccessDeniedException e) {
      throw new ConfigException("permission denied: " + file + "\n", List.of());
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage() + "\n", List.of());
    }
  }

  public static Result parse(String fileName, String source, Function<String, String> environment) {
    return parse(fileName, source, environment, Mode.RUN);
  }

  /**
   * @throws ConfigException listing every error, when there is any
   */
  public static Result parse(
      String fileName, String source, Function<String, String> environment, Mode mode) {
    Diagnostics syntax = new Diagnostics();
    Body body = AlloyParser.parse(fileName, source, syntax);
    // One syntax error per line: after a stray character the rest of the line is mostly noise.
    Diagnostics diags = new Diagnostics();
    Set<Integer> linesWithErrors = new HashSet<>();
    for (Diagnostic d : syntax.all()) {
      if (d.severity() != Severity.ERROR || linesWithErrors.add(d.position().line())) {
        diags.add(d);
      }
    }
    Evaluator evaluator =
        new Evaluator(
            name -> {
              String v = environment.apply(name);
              return v == null ? "" : v;
            },
            hostname());
    Set<String> secrets = new HashSet<>();
    BlockReader.Context ctx =
        new BlockReader.Context(evaluator, diags, mode == Mode.VALIDATE, secrets);
    GatewayConfig config = new Decoder(ctx).decode(CustomComponents.expand(body, ctx));
    // distinct: an argument of a custom component read in several places reports its error once.
    List<Diagnostic> sorted =
        diags.all().stream().distinct().sorted(Comparator.comparing(Diagnostic::position)).toList();
    String shown = Redact.source(source, secrets);
    if (diags.hasErrors()) {
      throw new ConfigException(DiagnosticPrinter.renderAll(sorted, f -> shown), sorted);
    }
    Diagnostics ordered = new Diagnostics();
    sorted.forEach(ordered::add);
    return new Result(config, ordered, shown);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /**
   * One decoding pass over the file: checks the top-level blocks and component labels, hands each
   * block to its decoder ({@link KafkaBlockDecoder}, {@link LoggingDecoder}, {@link WriteDecoder},
   * {@link ReceiveHttpDecoder}, {@link ReceiveKafkaDecoder}) and resolves every forward_to once all
   * write components are known.
   */
  private static final class Decoder {
    private final BlockReader.Context ctx;
    private final Diagnostics diags;
    private final Map<String, Position> foreignComponents = new HashMap<>();

    Decoder(BlockReader.Context ctx) {
      this.ctx = ctx;
      this.diags = ctx.diags();
    }

    GatewayConfig decode(Body body) {
      KafkaSettings kafka = null;
      Position kafkaAt = null;
      LoggingSettings logging = null;
      Position loggingAt = null;
      List<WriteComponent> writes = new ArrayList<>();
      List<Position> writePositions = new ArrayList<>();
      List<ReceiveHttpComponent> receivers = new ArrayList<>();
      List<Forwarding> receiverForwarding = new ArrayList<>();
      List<ReceiveKafkaComponent> sources = new ArrayList<>();
      List<Forwarding> sourceForwarding = new ArrayList<>();
      List<RelabelComponent> relabels = new ArrayList<>();
      List<Forwarding> relabelForwarding = new ArrayList<>();
      Map<String, Position> labels = new HashMap<>();
      for (Statement s : body.statements()) {
        if (s instanceof Attribute a) {
          diags.error(
              a.position(),
              "unexpected attribute \""
                  + a.name()
                  + "\" at the top level; only blocks belong here");
          continue;
        }
        Block b = (Block) s;
        String name = b.fullName();
        if (name.equals("kafka")) {
          if (b.label() != null) {
            diags.error(b.labelPosition(), "block \"kafka\" does not take a label");
          }
          if (kafka != null) {
            diags.error(
                b.position(),
                "block \"kafka\" may only be specified once (first at " + kafkaAt + ")");
            continue;
          }
          kafkaAt = b.position();
          kafka = KafkaBlockDecoder.read(b, ctx);
        } else if (name.equals("logging")) {
          if (b.label() != null) {
            diags.error(b.labelPosition(), "block \"logging\" does not take a label");
          }
          if (logging != null) {
            diags.error(
                b.position(),
                "block \"logging\" may only be specified once (first at " + loggingAt + ")");
            continue;
          }
          loggingAt = b.position();
          logging = LoggingDecoder.read(b, ctx);
        } else if (COMPONENTS.contains(name)) {
          if (b.label() == null) {
            diags.error(
                b.position(),
                "component \"" + name + "\" needs a label, e.g. " + name + " \"default\" { ... }");
            continue;
          }
          if (!isIdentifier(b.label())) {
            diags.error(
                b.labelPosition(),
                "component label \""
                    + b.label()
                    + "\" must be a valid identifier (letters, digits and _; not starting with a digit)");
            continue;
          }
          String id = name + "." + b.label();
          Position first = labels.putIfAbsent(id, b.position());
          if (first != null) {
            diags.error(
                b.position(),
                "component " + name + " \"" + b.label() + "\" is already defined at " + first);
            continue;
          }
          if (name.equals("pyroscope.write")) {
            writes.add(WriteDecoder.read(b, ctx));
            writePositions.add(b.position());
          } else {
            String what = name + " \"" + b.label() + "\"";
            BlockReader r = BlockReader.of(what, b, ctx);
            Forwarding forwarding = new Forwarding(what, b.position(), r.references("forward_to"));
            if (name.equals("pyroscope.relabel")) {
              if (!r.has("forward_to")) {
                diags.error(b.position(), "missing required attribute \"forward_to\" in " + what);
              }
              relabels.add(RelabelDecoder.read(b.label(), r));
              relabelForwarding.add(forwarding);
            } else if (name.equals("pyroscope.receive_http")) {
              receivers.add(ReceiveHttpDecoder.read(b.label(), r));
              receiverForwarding.add(forwarding);
            } else {
              sources.add(ReceiveKafkaDecoder.read(b.label(), r));
              sourceForwarding.add(forwarding);
            }
          }
        } else if (isForeign(name)) {
          diags.warning(
              b.position(), "pyrogate does not run \"" + name + "\"; the block is ignored");
          if (b.label() != null) {
            foreignComponents.put(name + "." + b.label(), b.position());
          }
        } else {
          diags.error(
              b.position(),
              "unknown component or block \""
                  + name
                  + "\""
                  + Suggestions.didYouMean(
                      name,
                      List.of(
                          "kafka",
                          "logging",
                          "pyroscope.write",
                          "pyroscope.receive_http",
                          "pyroscope.receive_kafka",
                          "pyroscope.relabel")));
        }
      }
      Set<String> writeLabels = new HashSet<>();
      writes.forEach(w -> writeLabels.add(w.label()));
      Set<String> relabelLabels = new HashSet<>();
      relabels.forEach(r -> relabelLabels.add(r.label()));
      Targets targets = new Targets(writeLabels, relabelLabels);
      for (int i = 0; i < receivers.size(); i++) {
        receivers.set(
            i,
            receivers.get(i).withForwardTo(resolveForwardTo(receiverForwarding.get(i), targets)));
      }
      for (int i = 0; i < sources.size(); i++) {
        sources.set(
            i, sources.get(i).withForwardTo(resolveForwardTo(sourceForwarding.get(i), targets)));
      }
      for (int i = 0; i < relabels.size(); i++) {
        relabels.set(
            i, relabels.get(i).withForwardTo(resolveForwardTo(relabelForwarding.get(i), targets)));
      }
      RelabelCycles.report(
          relabels, relabelForwarding.stream().map(Forwarding::targets).toList(), diags);
      return new GatewayConfig(
          kafka == null ? KafkaSettings.defaults() : kafka,
          receivers,
          sources,
          writes,
          logging == null ? LoggingSettings.defaults() : logging,
          relabels);
    }

    /** The labels of the components a forward_to may name. */
    private record Targets(Set<String> writes, Set<String> relabels) {}

    /** The forward_to of a receiving component, resolved once every write component is known. */
    private record Forwarding(String what, Position at, List<ReferenceValue> targets) {}

    /**
     * forward_to must name the receiver of a pyroscope.write or pyroscope.relabel defined here;
     * anything else would lose data.
     */
    private List<String> resolveForwardTo(Forwarding forwarding, Targets targets) {
      Set<String> writeLabels = targets.writes();
      List<String> labels = new ArrayList<>();
      String what = forwarding.what();
      for (ReferenceValue ref : forwarding.targets()) {
        String path = ref.path();
        if (path.startsWith(ForwardTarget.RELABEL)) {
          String relabel = relabelTarget(ref, what, targets.relabels());
          if (relabel != null && !labels.contains(relabel)) {
            labels.add(relabel);
          }
          continue;
        }
        if (path.startsWith("pyroscope.write.") && path.endsWith(".receiver")) {
          String label =
              path.substring("pyroscope.write.".length(), path.length() - ".receiver".length());
          if (writeLabels.contains(label)) {
            if (!labels.contains(label)) {
              labels.add(label);
            }
            continue;
          }
          diags.error(
              ref.position(),
              "forward_to of "
                  + what
                  + " names pyroscope.write \""
                  + label
                  + "\", which is not defined"
                  + Suggestions.didYouMean(label, writeLabels));
          continue;
        }
        String component = componentOf(path);
        if (component != null && foreignComponents.containsKey(component)) {
          String message =
              "forward_to of "
                  + what
                  + " names "
                  + path
                  + ", but pyrogate does not run "
                  + component
                  + ": its profiles would go nowhere; forward to a pyroscope.write receiver";
          if (ctx.validateOnly()) {
            diags.warning(ref.position(), message + " (pyrogate run refuses this)");
          } else {
            diags.error(ref.position(), message);
          }
        } else {
          diags.error(
              ref.position(),
              "forward_to of "
                  + what
                  + " names "
                  + path
                  + ", which is not the receiver of a pyroscope.write or pyroscope.relabel component"
                  + " defined in this file");
        }
      }
      if (forwarding.targets().isEmpty()) {
        diags.warning(forwarding.at(), what + " has an empty forward_to: it stores nothing");
      }
      return labels;
    }

    /**
     * The target a {@code pyroscope.relabel.LABEL.receiver} reference names; null, reported, when
     * the component is not defined or the export is not its receiver.
     */
    private String relabelTarget(ReferenceValue ref, String what, Set<String> relabelLabels) {
      String rest = ref.path().substring(ForwardTarget.RELABEL.length());
      int dot = rest.indexOf('.');
      String label = dot < 0 ? rest : rest.substring(0, dot);
      String export = dot < 0 ? "" : rest.substring(dot + 1);
      if (!relabelLabels.contains(label)) {
        diags.error(
            ref.position(),
            "forward_to of "
                + what
                + " names pyroscope.relabel \""
                + label
                + "\", which is not defined"
                + Suggestions.didYouMean(label, relabelLabels));
        return null;
      }
      if (!export.equals("receiver")) {
        diags.error(
            ref.position(),
            "forward_to of "
                + what
                + " names "
                + ref.path()
                + ": pyroscope.relabel exports \"receiver\" (profiles) and \"rules\"; forward to"
                + " its receiver");
        return null;
      }
      return ForwardTarget.relabel(label);
    }

    private String componentOf(String path) {
      for (String c : foreignComponents.keySet()) {
        if (path.startsWith(c + ".") || path.equals(c)) {
          return c;
        }
      }
      return null;
    }

    private static boolean isForeign(String name) {
      for (String f : FOREIGN) {
        if (f.endsWith(".") ? name.startsWith(f) : name.equals(f)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Whether a label is a valid identifier, as Alloy requires of component labels. */
  static boolean isIdentifier(String s) {
    return s.matches("[\\p{L}_][\\p{L}\\p{N}_]*");
  }
}
