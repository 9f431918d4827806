package io.pyrogate;

import static io.pyrogate.testing.Commands.onPath;
import static io.pyrogate.testing.Commands.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrogate.config.ConfigLoader;
import io.pyrogate.config.GatewayConfig;
import io.pyrogate.config.ReceiveHttpComponent;
import io.pyrogate.golang.Durations;
import io.pyrogate.testing.FakePyroscope;
import io.pyrogate.testing.GatewayTest;
import io.pyrogate.testing.GatewayUnderTest;
import io.pyrogate.testing.TestGateways;
import io.pyrogate.testing.TestKafka;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deployment files under {@code deploy/} against the code they deploy: the Kubernetes manifests
 * as {@code kubectl kustomize} renders them (skipped when kubectl is not installed), the compose
 * file and the Dockerfile run flags {@link Main} accepts, on the ports pyrogate listens on, with
 * probes on paths its management server serves, configurations that load, and stop deadlines longer
 * than pyrogate's own.
 */
@GatewayTest
class DeployManifestsTest {
  private static final Path ROOT = Path.of("..");
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  private static final Path OVERLAY = DEPLOY.resolve("kubernetes-overlay");
  private static final Path COMPOSE = DEPLOY.resolve("compose.yaml");
  private static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
  private static final Path QUICKSTART = ROOT.resolve("examples/quickstart.alloy");

  /** The one JVM setting every deployment uses: heap as a share of the container's memory. */
  private static final Pattern RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)");

  private static final Pattern HTTP_URL = Pattern.compile("http://([^/\\s:]+):(\\d+)(/\\S*)");

  // ---- what the code says ----

  /**
   * The arguments of {@code pyrogate run}, as {@link Main} parses them; fails on any it refuses.
   */
  private static Main.Run parseRun(List<String> args) {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand()).as("a subcommand in %s", args).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name())
        .as("the command of %s", args)
        .isEqualTo("run");
    return (Main.Run) parsed.subcommand().commandSpec().userObject();
  }

  /** Main's default management port (--server.http.listen-addr). */
  private static int defaultManagementPort() {
    return Main.HostPort.parse(parseRun(List.of("run", "config.alloy")).listenAddr).port();
  }

  /** Main's default stop deadline (--shutdown.timeout). */
  private static Duration defaultShutdownTimeout() {
    return Durations.parse(parseRun(List.of("run", "config.alloy")).shutdownTimeout);
  }

  /** The ingest port of the quick start, the port users know pyrogate by (Pyroscope's 4040). */
  private static int quickstartIngestPort() {
    return onlyReceiver(ConfigLoader.load(QUICKSTART, name -> null).config()).listenPort();
  }

  private static GatewayConfig load(String name, String text) {
    return ConfigLoader.parse(name, text, variable -> null, ConfigLoader.Mode.RUN).config();
  }

  private static ReceiveHttpComponent.HttpServerConfig onlyReceiver(GatewayConfig config) {
    assertThat(config.receivers()).hasSize(1);
    return config.receivers().get(0).server();
  }

  // ---- Kubernetes ----

  /** {@code kubectl kustomize DIR}: each rendered object by "Kind/name". */
  private static Map<String, Map<String, Object>> kustomize(Path dir) throws Exception {
    assumeTrue(
        onPath("kubectl"),
        "kubectl is not on the PATH: the Kubernetes manifests cannot be rendered (kustomize is part"
            + " of kubectl)");
    String rendered = stdout("kubectl", "kustomize", dir.toString());
    Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
    for (Object document : new Yaml().loadAll(rendered)) {
      Map<String, Object> object = map(document);
      objects.put(object.get("kind") + "/" + map(object.get("metadata")).get("name"), object);
    }
    return objects;
  }

  private static Map<String, Object> only(Map<String, Map<String, Object>> objects, String kind) {
    List<Map<String, Object>> ofKind =
        objects.values().stream().filter(o -> kind.equals(o.get("kind"))).toList();
    assertThat(ofKind).as("%s objects", kind).hasSize(1);
    return ofKind.get(0);
  }

  private static Map<String, Object> podSpec(Map<String, Map<String, Object>> objects) {
    return map(path(only(objects, "Deployment"), "spec", "template", "spec"));
  }

  private static Map<String, Object> container(Map<String, Map<String, Object>> objects) {
    List<Object> containers = list(podSpec(objects).get("containers"));
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  /** The container's port of that name. */
  private static int containerPort(Map<String, Object> container, String name) {
    return list(container.get("ports")).stream()
        .map(DeployManifestsTest::map)
        .filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return (List<String>) value;
  }

  @Test
  void theDeploymentRunsFlagsMainAcceptsOnTheCodesPorts() throws Exception {
    Map<String, Map<String, Object>> objects = kustomize(KUBERNETES);
    Map<String, Object> container = container(objects);
    Main.Run run = parseRun(strings(container.get("args")));

    Main.HostPort management = Main.HostPort.parse(run.listenAddr);
    assertThat(management.host())
        .as("reachable from the kubelet and Prometheus")
        .isEqualTo("0.0.0.0");
    assertThat(management.port())
        .isEqualTo(containerPort(container, "management"))
        .isEqualTo(defaultManagementPort());
    assertThat(containerPort(container, "ingest")).isEqualTo(quickstartIngestPort());

    // CONFIG is the ConfigMap's file, where the pod mounts it, and it listens where the pod says.
    Map<String, Object> configMap = only(objects, "ConfigMap");
    String configMapName = (String) map(configMap.get("metadata")).get("name");
    Map<String, Object> data = map(configMap.get("data"));
    assertThat(data).hasSize(1);
    String key = data.keySet().iterator().next();
    String configVolume = volumeOf(podSpec(objects), "configMap", configMapName);
    assertThat(run.config).isEqualTo(Path.of(mountPath(container, configVolume), key));
    ReceiveHttpComponent.HttpServerConfig ingest = onlyReceiver(load(key, (String) data.get(key)));
    assertThat(ingest.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(ingest.listenPort()).isEqualTo(containerPort(container, "ingest"));

    // The root file system is read-only: what pyrogate writes goes to volumes.
    Map<String, Object> security = map(container.get("securityContext"));
    assertThat(security).containsEntry("readOnlyRootFilesystem", true);
    assertThat(security).containsEntry("allowPrivilegeEscalation", false);
    Map<String, Object> podSecurity = map(podSpec(objects).get("securityContext"));
    assertThat(podSecurity).containsEntry("runAsNonRoot", true);
    assertThat((Integer) podSecurity.get("runAsUser")).isPositive();
    String storageVolume = volumeMountedAt(container, run.storagePath.toString());
    assertThat(volume(podSpec(objects), storageVolume)).containsKey("emptyDir");
    assertThat(volume(podSpec(objects), volumeMountedAt(container, "/tmp")))
        .as("the JVM's temporary directory (Netty's native transport is unpacked there)")
        .containsKey("emptyDir");
  }

  @Test
  void everyConfigurationItDeploysLoadsAndUsesYourKafka() throws Exception {
    for (Path dir : List.of(KUBERNETES, OVERLAY)) {
      Map<String, Map<String, Object>> objects = kustomize(dir);
      Map<String, Object> configMap = only(objects, "ConfigMap");
      Map<String, Object> data = map(configMap.get("data"));
      String key = data.keySet().iterator().next();
      GatewayConfig config = load(dir + "/" + key, (String) data.get(key));
      assertThat(config.kafka().embedded())
          .as("%s: instances share the work only through one Kafka (bootstrap_servers)", dir)
          .isFalse();
      assertThat(config.writes()).isNotEmpty();
      // The HorizontalPodAutoscaler stops where more instances would not deliver more.
      assertThat(
              (Integer)
                  map(only(objects, "HorizontalPodAutoscaler").get("spec")).get("maxReplicas"))
          .as("%s: maxReplicas at most the topics' partitions", dir)
          .isLessThanOrEqualTo(config.kafka().partitions());
      // The Deployment mounts this ConfigMap (an overlay's replaced one keeps the name).
      assertThat(
              volumeOf(
                  podSpec(objects),
                  "configMap",
                  (String) map(configMap.get("metadata")).get("name")))
          .isNotNull();
    }
    // The overlay's configuration is its own file, not the base's.
    Map<String, Object> overlayData = map(only(kustomize(OVERLAY), "ConfigMap").get("data"));
    assertThat(overlayData.values())
        .containsExactly(Files.readString(OVERLAY.resolve("pyrogate.alloy")));
  }

  @Test
  void theProbesAndTheScrapeAskPathsTheManagementServerServes(
      GatewayUnderTest gateway, FakePyroscope pyroscope) throws Exception {
    Map<String, Map<String, Object>> objects = kustomize(KUBERNETES);
    Map<String, Object> container = container(objects);
    int managementPort = containerPort(container, "management");
    Map<String, String> paths = new LinkedHashMap<>();
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      Map<String, Object> get = map(path(container, probe, "httpGet"));
      assertThat(get.get("port")).as(probe).isIn("management", managementPort);
      paths.put(probe, (String) get.get("path"));
    }
    assertThat(paths).containsEntry("readinessProbe", "/-/ready");
    assertThat(paths).containsEntry("livenessProbe", "/-/healthy");
    Map<String, Object> metricsAnnotations =
        map(path(objects.get("Service/pyrogate-metrics"), "metadata", "annotations"));
    assertThat(metricsAnnotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", Integer.toString(managementPort));
    paths.put("prometheus.io/path", (String) metricsAnnotations.get("prometheus.io/path"));
    paths.put("compose healthcheck", composeHealthcheckUrl().getPath());
    paths.put("Dockerfile HEALTHCHECK", dockerHealthcheckUrl(Dockerfile.read()).getPath());

    gateway.startPipeline(pyroscope.url());
    for (Map.Entry<String, String> e : paths.entrySet()) {
      assertThat(TestGateways.get(gateway.managementPort(), e.getValue()).statusCode())
          .as("GET %s (%s) on a running pyrogate", e.getValue(), e.getKey())
          .isEqualTo(200);
    }
  }

  @Test
  void podsGetMoreTimeToStopThanPyrogateTakes() throws Exception {
    Map<String, Map<String, Object>> objects = kustomize(KUBERNETES);
    Map<String, Object> container = container(objects);
    Duration shutdown = Durations.parse(parseRun(strings(container.get("args"))).shutdownTimeout);
    assertThat(shutdown).isEqualTo(defaultShutdownTimeout());
    // SIGTERM comes after the preStop hook, and Kubernetes counts both in the grace period.
    List<String> preStop = strings(path(container, "lifecycle", "preStop", "exec", "command"));
    assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
    Duration beforeSigterm = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
    int grace = (Integer) podSpec(objects).get("terminationGracePeriodSeconds");
    assertThat(Duration.ofSeconds(grace)).isGreaterThan(beforeSigterm.plus(shutdown));

    Map<String, Object> compose = map(new Yaml().load(Files.readString(COMPOSE)));
    for (String name : pyrogateServices(compose)) {
      Map<String, Object> service = map(path(compose, "services", name));
      Duration composeShutdown =
          Durations.parse(parseRun(strings(service.get("command"))).shutdownTimeout);
      assertThat(Durations.parse((String) service.get("stop_grace_period")))
          .as("%s stop_grace_period", name)
          .isGreaterThan(composeShutdown);
    }
  }

  @Test
  void theContainersMemoryHoldsTheHeapAndWhatIsNotHeap() throws Exception {
    Map<String, Map<String, Object>> objects = kustomize(KUBERNETES);
    Map<String, Object> container = container(objects);
    Map<String, Object> requests = map(path(container, "resources", "requests"));
    Map<String, Object> limits = map(path(container, "resources", "limits"));
    assertThat(requests.get("memory"))
        .as("memory requested = limit: the heap is sized from the limit, the node must have it")
        .isEqualTo(limits.get("memory"));
    assertThat(requests).containsKey("cpu"); // the HorizontalPodAutoscaler's utilization is of this

    String javaOptions =
        list(container.get("env")).stream()
            .map(DeployManifestsTest::map)
            .filter(e -> "PYROGATE_JAVA_OPTS".equals(e.get("name")))
            .map(e -> (String) e.get("value"))
            .findFirst()
            .orElseThrow();
    long limit = bytes((String) limits.get("memory"));
    long heap = limit * ramPercentage(javaOptions) / 100;
    // scripts/bench: 384 MiB was the smallest heap that kept the end-to-end max rate with an
    // endpoint down against an outside broker (256 MiB ran out); the default keeps a step above.
    assertThat(heap).as("heap").isGreaterThanOrEqualTo(512L << 20);
    // Metaspace, JIT code, thread stacks and Netty's direct buffers live outside the heap.
    assertThat(limit - heap).as("memory outside the heap").isGreaterThanOrEqualTo(512L << 20);

    // One default everywhere: the image's, the compose file's and the Deployment's.
    assertThat(Dockerfile.read().env("PYROGATE_JAVA_OPTS")).isEqualTo(javaOptions);
    Map<String, Object> compose = map(new Yaml().load(Files.readString(COMPOSE)));
    for (String name : pyrogateServices(compose)) {
      assertThat(map(path(compose, "services", name, "environment")))
          .containsEntry("PYROGATE_JAVA_OPTS", javaOptions);
    }
  }

  @Test
  void servicesBudgetAndAutoscalerSelectThePodsAndTheirPorts() throws Exception {
    Map<String, Map<String, Object>> objects = kustomize(KUBERNETES);
    Map<String, Object> deployment = only(objects, "Deployment");
    Map<String, Object> podLabels = map(path(deployment, "spec", "template", "metadata", "labels"));
    Map<String, Object> container = container(objects);
    Set<String> portNames = new LinkedHashSet<>();
    list(container.get("ports")).forEach(p -> portNames.add((String) map(p).get("name")));

    assertThat(objects.keySet())
        .contains("Service/pyrogate", "Service/pyrogate-metrics", "Service/pyrogate-cluster");
    for (Map<String, Object> service :
        objects.values().stream().filter(o -> "Service".equals(o.get("kind"))).toList()) {
      Map<String, Object> spec = map(service.get("spec"));
      assertThat(podLabels).containsAllEntriesOf(map(spec.get("selector")));
      assertThat(map(spec.get("selector"))).isNotEmpty();
    }
    assertThat(servicePort(objects.get("Service/pyrogate")))
        .containsEntry("port", containerPort(container, "ingest"))
        .containsEntry("targetPort", "ingest");
    assertThat(servicePort(objects.get("Service/pyrogate-metrics")))
        .containsEntry("port", containerPort(container, "management"))
        .containsEntry("targetPort", "management");
    assertThat(portNames).contains("ingest", "management");
    // Cluster discovery: every pod's address, ready or not, under one name.
    Map<String, Object> headless = map(objects.get("Service/pyrogate-cluster").get("spec"));
    assertThat(headless)
        .containsEntry("clusterIP", "None")
        .containsEntry("publishNotReadyAddresses", true);
    List<Object> clusterPorts =
        list(path(objects.get("Service/pyrogate-cluster"), "spec", "ports"));
    assertThat(clusterPorts)
        .extracting(p -> map(p).get("port"))
        .containsExactlyInAnyOrder(
            containerPort(container, "hazelcast"), containerPort(container, "event-bus"));
    assertThat(containerPort(container, "hazelcast")).isEqualTo(5701);

    // The pods run in cluster mode, joining through that Service, on the event bus port it opens.
    Main.Run run = parseRun(strings(container.get("args")));
    assertThat(run.clusterEnabled).isTrue();
    assertThat(run.clusterJoinAddresses)
        .isEqualTo(map(objects.get("Service/pyrogate-cluster").get("metadata")).get("name"));
    assertThat(run.clusterEventBusPort).isEqualTo(containerPort(container, "event-bus"));
    assertThat(run.clusterAdvertiseAddress).isEqualTo("$(POD_IP)");
    assertThat(list(container.get("env")))
        .extracting(e -> map(e).get("name"))
        .contains("POD_IP", "POD_NAME");

    Map<String, Object> budget = map(only(objects, "PodDisruptionBudget").get("spec"));
    assertThat(podLabels).containsAllEntriesOf(map(path(budget, "selector", "matchLabels")));
    assertThat(budget).containsEntry("maxUnavailable", 1);

    Map<String, Object> autoscaler = map(only(objects, "HorizontalPodAutoscaler").get("spec"));
    assertThat(only(objects, "HorizontalPodAutoscaler"))
        .containsEntry("apiVersion", "autoscaling/v2");
    assertThat(map(autoscaler.get("scaleTargetRef")))
        .containsEntry("kind", "Deployment")
        .containsEntry("name", map(deployment.get("metadata")).get("name"));
    assertThat(autoscaler.get("minReplicas"))
        .isEqualTo(map(deployment.get("spec")).get("replicas"));
    assertThat(map(deployment.get("spec"))).containsEntry("replicas", 3);
    assertThat(map(path(list(autoscaler.get("metrics")).get(0), "resource")))
        .containsEntry("name", "cpu");
  }

  private static Map<String, Object> servicePort(Map<String, Object> service) {
    List<Object> ports = list(path(service, "spec", "ports"));
    assertThat(ports).hasSize(1);
    return map(ports.get(0));
  }

  // ---- compose ----

  /** The compose services that run pyrogate: those built from deploy/Dockerfile. */
  private static List<String> pyrogateServices(Map<String, Object> compose) {
    List<String> names = new ArrayList<>();
    map(compose.get("services"))
        .forEach(
            (name, service) -> {
              Object build = map(service).get("build");
              if (build != null && "deploy/Dockerfile".equals(map(build).get("dockerfile"))) {
                names.add(name);
              }
            });
    return names;
  }

  private static URI composeHealthcheckUrl() throws IOException {
    Map<String, Object> compose = map(new Yaml().load(Files.readString(COMPOSE)));
    Set<URI> urls = new LinkedHashSet<>();
    for (String name : pyrogateServices(compose)) {
      String test =
          String.join(" ", strings(path(compose, "services", name, "healthcheck", "test")));
      urls.add(httpUrl(test));
    }
    assertThat(urls).hasSize(1);
    return urls.iterator().next();
  }

  @Test
  void composeRunsTwoInstancesOfOneConfigurationOnItsKafka() throws Exception {
    Map<String, Object> compose = map(new Yaml().load(Files.readString(COMPOSE)));
    Map<String, Object> services = map(compose.get("services"));
    List<String> pyrogates = pyrogateServices(compose);
    assertThat(pyrogates).containsExactly("pyrogate-1", "pyrogate-2");
    assertThat(services).containsKeys("kafka", "pyroscope", "prometheus", "grafana");

    Set<List<String>> commands = new LinkedHashSet<>();
    for (String name : pyrogates) {
      Map<String, Object> service = map(services.get(name));
      List<String> command = strings(service.get("command"));
      commands.add(command);
      Main.Run run = parseRun(command);
      Main.HostPort management = Main.HostPort.parse(run.listenAddr);
      assertThat(management.host()).isEqualTo("0.0.0.0");
      assertThat(management.port()).isEqualTo(defaultManagementPort());

      // The configuration is the mounted deploy/config file; it loads and names compose services.
      Path config = mountedFile(service, run.config.toString());
      GatewayConfig loaded = load(config.toString(), Files.readString(config));
      ReceiveHttpComponent.HttpServerConfig ingest = onlyReceiver(loaded);
      assertThat(ingest.listenAddress()).isEqualTo("0.0.0.0");
      assertThat(ingest.listenPort()).isEqualTo(quickstartIngestPort());
      assertThat(containerPorts(service))
          .containsExactlyInAnyOrder(ingest.listenPort(), management.port());
      // A cluster of the two: each joins both by their service names and is named after its own.
      assertThat(run.clusterEnabled).isTrue();
      assertThat(List.of(run.clusterJoinAddresses.split(",")))
          .containsExactlyInAnyOrderElementsOf(pyrogates);
      assertThat(service).containsEntry("hostname", name);
      for (String server : loaded.kafka().bootstrapServers()) {
        assertThat(services).containsKey(server.substring(0, server.lastIndexOf(':')));
      }
      loaded.writes().stream()
          .flatMap(w -> w.endpoints().stream())
          .forEach(e -> assertThat(services).containsKey(e.url().getHost()));
      assertThat(httpUrl(String.join(" ", strings(path(service, "healthcheck", "test")))))
          .hasPort(management.port())
          .hasPath("/-/ready");
      // A volume of its own at --storage.path.
      assertThat(strings(service.get("volumes")))
          .anyMatch(v -> v.endsWith(":" + run.storagePath) && !v.startsWith("."));
    }
    assertThat(commands).as("the same command line for every instance").hasSize(1);

    // The broker is the Kafka version pyrogate's clients are.
    assertThat((String) map(services.get("kafka")).get("image"))
        .endsWith("apache/kafka:" + TestKafka.kafkaVersion());

    // Prometheus scrapes every instance on its management port and loads the shipped alerts.
    Map<String, Object> prometheus = map(services.get("prometheus"));
    Map<String, Object> prometheusConfig =
        map(
            new Yaml()
                .load(Files.readString(mountedFile(prometheus, "/etc/prometheus/prometheus.yml"))));
    List<String> ruleFiles = strings(prometheusConfig.get("rule_files"));
    assertThat(ruleFiles).hasSize(1);
    assertThat(mountedFile(prometheus, ruleFiles.get(0)).normalize())
        .isEqualTo(DEPLOY.resolve("prometheus/alerts.yaml").normalize());
    List<String> targets =
        strings(
            map(list(map(list(prometheusConfig.get("scrape_configs")).get(0)).get("static_configs"))
                    .get(0))
                .get("targets"));
    assertThat(targets)
        .containsExactlyInAnyOrderElementsOf(
            pyrogates.stream().map(n -> n + ":" + defaultManagementPort()).toList());

    // Grafana gets the shipped dashboard and a Prometheus data source on the compose service.
    Map<String, Object> grafana = map(services.get("grafana"));
    assertThat(strings(grafana.get("volumes")))
        .anyMatch(v -> v.startsWith("./grafana/pyrogate-dashboard.json:"));
    Path datasources =
        mountedFile(grafana, "/etc/grafana/provisioning").resolve("datasources/prometheus.yaml");
    Map<String, Object> datasource =
        map(list(map(new Yaml().load(Files.readString(datasources))).get("datasources")).get(0));
    assertThat(datasource)
        .containsEntry("type", "prometheus")
        .containsEntry("url", "http://prometheus:9090");
  }

  /** The container side of each published port ("HOST:CONTAINER"). */
  private static List<Integer> containerPorts(Map<String, Object> service) {
    return strings(service.get("ports")).stream()
        .map(p -> Integer.parseInt(p.substring(p.lastIndexOf(':') + 1)))
        .toList();
  }

  /**
   * The file of deploy/ that {@code service} mounts at {@code target} (or under it, for a mounted
   * folder).
   */
  private static Path mountedFile(Map<String, Object> service, String target) {
    for (String volume : strings(service.get("volumes"))) {
      String[] parts = volume.split(":");
      boolean atOrUnder = target.equals(parts[1]) || target.startsWith(parts[1] + "/");
      if (parts[0].startsWith("./") && atOrUnder) {
        Path file =
            DEPLOY
                .resolve(parts[0])
                .resolve(target.substring(parts[1].length()).replaceFirst("^/", ""));
        assertThat(file).as("mounted at %s", target).exists();
        return file;
      }
    }
    throw new AssertionError("nothing of deploy/ is mounted at " + target);
  }

  // ---- Dockerfile ----

  private static URI dockerHealthcheckUrl(Dockerfile dockerfile) {
    return httpUrl(dockerfile.instruction("HEALTHCHECK"));
  }

  @Test
  void theImageExposesChecksAndRunsWhatPyrogateServes() throws Exception {
    Dockerfile dockerfile = Dockerfile.read();
    List<String> command = jsonStrings(dockerfile.instruction("CMD"));
    Main.Run run = parseRun(command);
    Main.HostPort management = Main.HostPort.parse(run.listenAddr);
    assertThat(management.host()).isEqualTo("0.0.0.0");
    assertThat(management.port()).isEqualTo(defaultManagementPort());

    // The configuration in the image is deploy/config/standalone.alloy, and it loads.
    assertThat(dockerfile.all("COPY"))
        .contains("deploy/config/standalone.alloy " + run.config)
        .contains("--from=build /src/gateway/target/pyrogate.jar /opt/pyrogate/pyrogate.jar");
    ReceiveHttpComponent.HttpServerConfig ingest =
        onlyReceiver(
            ConfigLoader.load(DEPLOY.resolve("config/standalone.alloy"), name -> null).config());
    assertThat(ingest.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(ingest.listenPort()).isEqualTo(quickstartIngestPort());

    assertThat(dockerfile.instruction("EXPOSE").split("\\s+"))
        .containsExactlyInAnyOrder(
            Integer.toString(ingest.listenPort()), Integer.toString(management.port()));
    URI health = dockerHealthcheckUrl(dockerfile);
    assertThat(health).hasPort(management.port()).hasPath("/-/ready");
    assertThat(dockerfile.instruction("STOPSIGNAL")).isEqualTo("SIGTERM");
    assertThat(dockerfile.instruction("USER")).matches("[1-9][0-9]*:[1-9][0-9]*");
    assertThat(dockerfile.all("RUN"))
        .anyMatch(r -> r.contains("chown") && r.contains(run.storagePath.toString()));
    assertThat(jsonStrings(dockerfile.instruction("ENTRYPOINT")))
        .anyMatch(e -> e.contains("$PYROGATE_JAVA_OPTS -jar /opt/pyrogate/pyrogate.jar"));
    assertThat(dockerfile.env("PYROGATE_JAVA_OPTS")).containsPattern(RAM_PERCENTAGE);
  }

  /**
   * The instructions of deploy/Dockerfile, continuation lines joined and comments dropped: enough
   * to read what it declares, not a full parser.
   */
  private record Dockerfile(List<String[]> instructions) {
    static Dockerfile read() throws IOException {
      List<String[]> instructions = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : Files.readAllLines(DOCKERFILE)) {
        String stripped = line.strip();
        if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
          continue;
        }
        boolean continued = stripped.endsWith("\\");
        current
            .append(continued ? stripped.substring(0, stripped.length() - 1) : stripped)
            .append(' ');
        if (!continued) {
          String text = current.toString().strip();
          int space = text.indexOf(' ');
          instructions.add(
              new String[] {text.substring(0, space), text.substring(space + 1).strip()});
          current.setLength(0);
        }
      }
      return new Dockerfile(instructions);
    }

    /** The arguments of every instruction of that name, in order. */
    List<String> all(String name) {
      return instructions.stream().filter(i -> i[0].equals(name)).map(i -> i[1]).toList();
    }

    /** The arguments of the last instruction of that name (the one in force). */
    String instruction(String name) {
      List<String> all = all(name);
      assertThat(all).as("%s in %s", name, DOCKERFILE).isNotEmpty();
      return all.get(all.size() - 1);
    }

    /** The value of an {@code ENV NAME="VALUE"}. */
    String env(String name) {
      Pattern p = Pattern.compile(Pattern.quote(name) + "=\"([^\"]*)\"");
      for (String env : all("ENV")) {
        Matcher m = p.matcher(env);
        if (m.find()) {
          return m.group(1);
        }
      }
      throw new AssertionError("no ENV " + name + " in " + DOCKERFILE);
    }
  }

  // ---- small helpers ----

  private static int ramPercentage(String javaOptions) {
    Matcher m = RAM_PERCENTAGE.matcher(javaOptions);
    assertThat(m.find()).as("-XX:MaxRAMPercentage in %s", javaOptions).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** A Kubernetes memory quantity in Mi or Gi. */
  private static long bytes(String quantity) {
    Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
    assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
    return Long.parseLong(m.group(1)) << (m.group(2).equals("Gi") ? 30 : 20);
  }

  /** The one http:// URL in a command. */
  private static URI httpUrl(String command) {
    Matcher m = HTTP_URL.matcher(command);
    assertThat(m.find()).as("an http:// URL in %s", command).isTrue();
    assertThat(m.group(1)).as("the container's own address").isIn("127.0.0.1", "localhost");
    return URI.create(m.group());
  }

  private static List<String> jsonStrings(String jsonArray) {
    return new JsonArray(jsonArray).stream().map(String.class::cast).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  /** The value at {@code keys} under {@code value}; a failed assertion naming the missing key. */
  private static Object path(Object value, String... keys) {
    Object at = value;
    for (String key : keys) {
      Map<String, Object> m = map(at);
      assertThat(m).as("key %s", key).containsKey(key);
      at = m.get(key);
    }
    return at;
  }

  private static String volumeOf(Map<String, Object> podSpec, String type, String name) {
    for (Object v : list(podSpec.get("volumes"))) {
      Map<String, Object> volume = map(v);
      if (volume.get(type) != null && name.equals(map(volume.get(type)).get("name"))) {
        return (String) volume.get("name");
      }
    }
    throw new AssertionError("no " + type + " volume of " + name);
  }

  private static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
    return list(podSpec.get("volumes")).stream()
        .map(DeployManifestsTest::map)
        .filter(v -> name.equals(v.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static String mountPath(Map<String, Object> container, String volume) {
    return list(container.get("volumeMounts")).stream()
        .map(DeployManifestsTest::map)
        .filter(m -> volume.equals(m.get("name")))
        .map(m -> (String) m.get("mountPath"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
  }

  private static String volumeMountedAt(Map<String, Object> container, String mountPath) {
    return list(container.get("volumeMounts")).stream()
        .map(DeployManifestsTest::map)
        .filter(m -> mountPath.equals(m.get("mountPath")))
        .map(m -> (String) m.get("name"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume is mounted at " + mountPath));
  }
}
