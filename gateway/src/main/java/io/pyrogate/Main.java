package io.pyrogate;

import io.pyrogate.cluster.ClusterSettings;
import io.pyrogate.config.ConfigException;
import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.KafkaSettings;
import io.pyrogate.config.LoggingSettings;
import io.pyrogate.config.StartFrom;
import io.pyrogate.config.Suggestions;
import io.pyrogate.golang.Durations;
import io.pyrogate.kafka.DeadLetterReplay;
import io.pyrogate.logging.Logging;
import io.pyrogate.ops.Reloader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.UnmatchedArgumentException;
import sun.misc.Signal;

/**
 * The command line: parse, load the config, start, wait for SIGTERM. Flags mirror Alloy's. Exit
 * codes: 0 done, 1 configuration error, 2 could not start, 64 usage error (EX_USAGE: a wrong
 * command, option or argument), 128 + the signal's number when stopped by a signal.
 */
@Command(
    name = "pyrogate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description =
        "Durable gateway for continuous-profiling data: Pyroscope push in, Kafka as the buffer, Pyroscope endpoints out.",
    subcommands = {
      Main.Run.class,
      Main.Validate.class,
      Main.Replay.class,
      Main.PrintVersion.class,
      HelpCommand.class
    })
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int EXIT_CONFIG = 1;
  static final int EXIT_STARTUP = 2;
  static final int EXIT_USAGE = 64;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Loads CONFIG and prints its warnings; prints every error and returns null when it has any. */
  static GatewayConfig load(Path config, ConfigLoader.Mode mode, PrintWriter err) {
    try {
      ConfigLoader.Result result = ConfigLoader.load(config, System::getenv, mode);
      err.print(result.renderedWarnings());
      err.flush();
      return result.config();
    } catch (ConfigException e) {
      err.print(e.getMessage());
      err.flush();
      return null;
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Main::printUsageError);
  }

  /**
   * A usage error: what is wrong, the closest commands or options when one was mistyped, and how to
   * see the usage; exits {@link #EXIT_USAGE}.
   */
  private static int printUsageError(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println(e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + cli.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return EXIT_USAGE;
  }

  /** "; did you mean ...? (it has [...])" for a name that is not among {@code names}. */
  static String closestOf(String name, List<String> names) {
    return Suggestions.didYouMean(name, names)
        + " (it has "
        + names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ", "[", "]"))
        + ")";
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionProvider.class,
      description = "Run pyrogate with the given Alloy configuration file.")
  static final class Run implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Alloy configuration file")
    Path config;

    @Option(
        names = "--server.http.listen-addr",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:12345",
        description =
            "Address of the management server: the status page, /metrics, /-/ready, /-/healthy, "
                + "/-/reload (default: ${DEFAULT-VALUE})")
    String listenAddr;

    @Option(
        names = "--storage.path",
        paramLabel = "DIR",
        defaultValue = "data",
        description =
            "Where pyrogate keeps its data; the embedded Kafka broker's under DIR/kafka (default: ${DEFAULT-VALUE})")
    Path storagePath;

    @Option(
        names = "--shutdown.timeout",
        paramLabel = "DURATION",
        defaultValue = "25s",
        description =
            "How long a stop (SIGTERM, SIGINT) may take before pyrogate exits anyway; fits Kubernetes' "
                + "default terminationGracePeriodSeconds of 30 (default: ${DEFAULT-VALUE})")
    String shutdownTimeout;

    @Option(
        names = "--log.level",
        paramLabel = "LEVEL",
        description =
            "debug, info, warn or error; wins over the logging block's level (default: the block's, else info)")
    LoggingSettings.Level logLevel;

    @Option(
        names = "--log.format",
        paramLabel = "FORMAT",
        description =
            "logfmt or json; wins over the logging block's format (default: the block's, else logfmt)")
    LoggingSettings.Format logFormat;

    @Option(
        names = "--cluster.enabled",
        arity = "0..1",
        paramLabel = "BOOL",
        description =
            "Join a cluster of pyrogates (Vert.x on Hazelcast, port 5701): a cluster-wide view at "
                + "/api/cluster, endpoint back-off shared by all members, lag read by one member "
                + "(default: false)")
    boolean clusterEnabled;

    @Option(
        names = "--cluster.node-name",
        paramLabel = "NAME",
        description = "This member's name in the cluster view (default: the host name)")
    String clusterNodeName;

    @Option(
        names = "--cluster.advertise-address",
        paramLabel = "HOST[:PORT]",
        description =
            "Address the other members reach this one at, and listen on when it is local "
                + "(default: an interface Hazelcast picks, port 5701-5703)")
    String clusterAdvertiseAddress;

    @Option(
        names = "--cluster.join-addresses",
        paramLabel = "HOST[:PORT],...",
        description =
            "Members to join, comma-separated; a name resolves to all its addresses (a Kubernetes "
                + "headless service: every pod); without a port 5701-5703 are tried (default: none)")
    String clusterJoinAddresses;

    @Option(
        names = "--cluster.name",
        paramLabel = "NAME",
        description =
            "Members join only a cluster of the same name (default: the kafka block's topic_prefix"
                + " followed by \"cluster\")")
    String clusterName;

    @Option(
        names = "--cluster.event-bus-port",
        paramLabel = "PORT",
        description =
            "pyrogate extension: port of the event bus between members (default: 0, any free port)")
    Integer clusterEventBusPort;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      ClusterSettings cluster;
      try {
        cluster =
            ClusterSettings.parse(
                clusterEnabled,
                clusterNodeName,
                clusterAdvertiseAddress,
                clusterJoinAddresses,
                clusterName,
                clusterEventBusPort);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      Duration stopTimeout;
      try {
        stopTimeout = Durations.parse(shutdownTimeout);
        if (stopTimeout.isNegative()) {
          throw new IllegalArgumentException(
              "must not be negative, got \"" + shutdownTimeout + "\"");
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "--shutdown.timeout: " + e.getMessage(), e);
      }
      HostPort management;
      try {
        management = HostPort.parse(listenAddr);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "--server.http.listen-addr: " + e.getMessage(), e);
      }
      GatewayConfig loaded = load(config, ConfigLoader.Mode.RUN, err);
      if (loaded == null) {
        return EXIT_CONFIG;
      }
      loaded = withLogFlags(loaded);
      Logging.apply(loaded.logging());
      // Registered before start, so a SIGHUP while starting is ignored rather than ending the JVM.
      AtomicReference<Gateway> running = new AtomicReference<>();
      onSighup(() -> reloadOnSighup(running.get()));
      Gateway gateway;
      try {
        gateway =
            Gateway.start(
                loaded,
                new Gateway.Options(
                    storagePath,
                    management.host(),
                    management.port(),
                    Runtime.getRuntime().availableProcessors(),
                    cluster),
                this::reread);
      } catch (RuntimeException e) {
        LOG.debug("pyrogate could not start", e);
        LOG.error("pyrogate could not start: {}", e.getMessage());
        return EXIT_STARTUP;
      }
      running.set(gateway);
      gateway.status().configFile(config);
      // Once running: a start that fails says only why it failed.
      for (String signal : IgnoredSignals.ofThisProcess()) {
        LOG.warn(
            "{} has no effect: pyrogate was started with the signal ignored, inherited from its"
                + " parent (nohup ignores SIGHUP, a script's background job SIGINT); start it"
                + " without that (POST /-/reload reloads whatever the signals)",
            signal);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      onStopSignals(stopTimeout);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("shutting down (at most {} ms)", stopTimeout.toMillis());
                    gateway.stop(stopTimeout);
                    stopped.countDown();
                  },
                  "pyrogate-shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }

    /**
     * What a reload runs: the configuration file read, evaluated and validated again, every error
     * collected.
     */
    private GatewayConfig reread() {
      ConfigLoader.Result result = ConfigLoader.load(config, System::getenv);
      String warnings = result.renderedWarnings();
      if (!warnings.isEmpty()) {
        LOG.warn("{}", warnings.stripTrailing());
      }
      return withLogFlags(result.config());
    }

    /** The --log.* flags win over the logging block, at start and at every reload. */
    private GatewayConfig withLogFlags(GatewayConfig c) {
      LoggingSettings logging = c.logging();
      if (logLevel != null) {
        logging = logging.withLevel(logLevel);
      }
      if (logFormat != null) {
        logging = logging.withFormat(logFormat);
      }
      return c.withLogging(logging);
    }

    private void reloadOnSighup(Gateway gateway) {
      if (gateway == null) {
        LOG.warn("SIGHUP ignored: pyrogate is still starting");
        return;
      }
      LOG.info("SIGHUP: reloading {}", config);
      try {
        gateway.reloadFromSource(); // logs what changed, or why nothing did
      } catch (Reloader.Unavailable e) {
        LOG.warn("SIGHUP ignored: {}", e.getMessage());
      } catch (RuntimeException e) {
        LOG.debug("SIGHUP reload did not apply", e);
      }
    }
  }

  /**
   * Runs {@code action} on every SIGHUP, as Alloy reloads its configuration; logs when the platform
   * has none.
   */
  static void onSighup(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn(
          "SIGHUP reload is unavailable on this platform ({}); use POST /-/reload", e.getMessage());
    }
  }

  /**
   * SIGTERM and SIGINT stop pyrogate, exiting with 128 + the signal's number (143, 130) as the
   * JVM's own handler does; a second one while stopping exits at once, with the same status.
   */
  static void onStopSignals(Duration stopTimeout) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              int status = 128 + signal.getNumber();
              if (stopping.compareAndSet(false, true)) {
                LOG.info(
                    "SIG{}: stopping within {} ms; a second SIGTERM or SIGINT exits at once",
                    name,
                    stopTimeout.toMillis());
                System.exit(status); // runs the shutdown hook; this handler has its own thread
              } else {
                LOG.warn("SIG{} while stopping: exiting at once", name);
                Runtime.getRuntime().halt(status);
              }
            });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.warn("SIG{} keeps the JVM's own handling on this platform ({})", name, e.getMessage());
      }
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionProvider.class,
      description =
          "Check a configuration file; print every error, or a summary of what would run.")
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Alloy configuration file")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      GatewayConfig loaded = load(config, ConfigLoader.Mode.VALIDATE, spec.commandLine().getErr());
      if (loaded == null) {
        return EXIT_CONFIG;
      }
      spec.commandLine().getOut().println(config + ": OK: " + loaded.summary());
      return 0;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionProvider.class,
      description =
          "Move dead letters of a pyroscope.write back into its topic, each for the "
              + "endpoint that gave up on it. Each dead letter is replayed once; --since replays again from a time.")
  static final class Replay implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "CONFIG",
        description = "Alloy configuration file pyrogate runs with")
    Path config;

    @Option(
        names = "--write",
        required = true,
        paramLabel = "LABEL",
        description = "the pyroscope.write component")
    String write;

    @Option(
        names = "--endpoint",
        paramLabel = "NAME",
        description = "only the dead letters of this endpoint")
    String endpoint;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description =
            "dead letters written since TIME "
                + "(RFC 3339, e.g. 2026-11-25T10:00:00Z, or a duration ago, e.g. 2h), replayed even if replayed before")
    String since;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Instant from;
      try {
        from = since == null ? null : parseSince(since);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage(), e);
      }
      GatewayConfig loaded = load(config, ConfigLoader.Mode.VALIDATE, err);
      if (loaded == null) {
        return EXIT_CONFIG;
      }
      var writeComponent = loaded.write(write);
      if (writeComponent.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "--write: no pyroscope.write \""
                + write
                + "\" in "
                + config
                + closestOf(write, loaded.writes().stream().map(w -> w.label()).toList()));
      }
      List<String> endpoints =
          writeComponent.get().endpoints().stream().map(e -> e.name()).toList();
      if (endpoint != null && !endpoints.contains(endpoint)) {
        throw new ParameterException(
            spec.commandLine(),
            "--endpoint: pyroscope.write \""
                + write
                + "\" has no endpoint named \""
                + endpoint
                + "\""
                + closestOf(endpoint, endpoints));
      }
      KafkaSettings kafka =
          loaded.kafka().embedded()
              ? loaded.kafka().withBootstrapServers(loaded.kafka().embeddedListenAddress())
              : loaded.kafka();
      try {
        new DeadLetterReplay(kafka, write, endpoint, from, spec.commandLine().getOut()).run();
        return 0;
      } catch (RuntimeException e) {
        err.println(
            "replay failed: "
                + e.getMessage()
                + (loaded.kafka().embedded()
                    ? " (the embedded broker runs inside pyrogate: is pyrogate running with this configuration?)"
                    : ""));
        return EXIT_STARTUP;
      }
    }

    static Instant parseSince(String s) {
      try {
        return StartFrom.parseTime(s).time(Instant.now());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "version",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionProvider.class,
      description = "Print the version, the commit it was built from and the build date.")
  static final class PrintVersion implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().println("pyrogate " + Version.describe());
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pyrogate " + Version.describe()};
    }
  }

  /** A --server.http.listen-addr value. */
  record HostPort(String host, int port) {
    static HostPort parse(String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("expected HOST:PORT, got \"" + s + "\"");
      }
      int port;
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "port must be a number, got \"" + s.substring(colon + 1) + "\"");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0-65535, got " + port);
      }
      return new HostPort(s.substring(0, colon), port);
    }
  }
}
