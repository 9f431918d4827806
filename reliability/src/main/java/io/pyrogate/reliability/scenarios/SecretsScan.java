package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.AlloyConfig;
import io.pyrogate.reliability.Counts;
import io.pyrogate.reliability.DeadLetter;
import io.pyrogate.reliability.GatewayProcess;
import io.pyrogate.reliability.Harness;
import io.pyrogate.reliability.HttpLoad;
import io.pyrogate.reliability.RecordingEndpoint;
import io.pyrogate.reliability.Result;
import io.pyrogate.reliability.Scenario;
import io.pyrogate.reliability.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every kind of secret configured at once, at log level debug, with traffic; most endpoints refuse
 * with a 400 whose body echoes the request's headers (so what they were sent comes back in errors
 * and dead letters). No secret value, nor its Basic-auth encoding, may appear in the logs, {@code
 * /metrics}, the management pages or the dead-letter topic.
 */
final class SecretsScan implements Scenario {
  @Override
  public String name() {
    return "secrets-scan";
  }

  @Override
  public Result run(Harness h) throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String kind :
        List.of(
            "bearer_token",
            "basic_auth password",
            "authorization credentials",
            "oauth2 client_secret",
            "oauth2 endpoint_params",
            "oauth2 access token",
            "http_headers",
            "URL token user info",
            "URL password",
            "proxy_url password",
            "headers Authorization",
            "bearer_token_file",
            "kafka ssl.key.password",
            "kafka sasl.jaas.config")) {
      secrets.put(kind, "relsecret" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)));
    }
    Map<String, String> needles = new LinkedHashMap<>(secrets);
    needles.put("basic_auth (base64)", base64("reluser:" + secrets.get("basic_auth password")));
    needles.put(
        "oauth2 client (base64)", base64("relclient:" + secrets.get("oauth2 client_secret")));
    needles.put("URL token user info (base64)", base64(secrets.get("URL token user info") + ":"));
    needles.put("URL password (base64)", base64("reluser:" + secrets.get("URL password")));
    needles.put("proxy_url (base64)", base64("proxyuser:" + secrets.get("proxy_url password")));

    Path tokenFile = h.dir().resolve("token");
    Files.writeString(tokenFile, secrets.get("bearer_token_file") + "\n");
    RecordingEndpoint bearer = h.endpoint("bearer", true);
    RecordingEndpoint tokenFromFile = h.endpoint("tokenfile", true);
    List<RecordingEndpoint> refusing = new ArrayList<>();
    for (String name :
        List.of("basic", "authz", "oauth", "hdrs", "userinfo", "password", "proxy", "headers")) {
      refusing.add(h.endpoint(name, true).behave(RecordingEndpoint.Behaviour.REFUSE_ECHO));
    }
    RecordingEndpoint oauth = refusing.get(2).accessToken(secrets.get("oauth2 access token"));
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\\"u\\\" password=\\\""
            + secrets.get("kafka sasl.jaas.config")
            + "\\\";";
    String clientSecrets =
        "{ \"ssl.key.password\" = \""
            + secrets.get("kafka ssl.key.password")
            + "\", \"sasl.jaas.config\" = \""
            + jaas
            + "\" }";
    AlloyConfig config =
        h.embeddedConfig()
            .kafka("producer = " + clientSecrets)
            .kafka("consumer = " + clientSecrets)
            .endpoint(bearer, "bearer_token = \"" + secrets.get("bearer_token") + "\"")
            .endpoint(tokenFromFile, "bearer_token_file = \"" + tokenFile + "\"")
            .endpoint(
                refusing.get(0),
                "basic_auth {",
                "  username = \"reluser\"",
                "  password = \"" + secrets.get("basic_auth password") + "\"",
                "}")
            .endpoint(
                refusing.get(1),
                "authorization {",
                "  type = \"Bearer\"",
                "  credentials = \"" + secrets.get("authorization credentials") + "\"",
                "}")
            .endpoint(
                oauth,
                "oauth2 {",
                "  client_id = \"relclient\"",
                "  client_secret = \"" + secrets.get("oauth2 client_secret") + "\"",
                "  token_url = \"" + oauth.url() + "/token\"",
                "  endpoint_params = { \"audience\" = \""
                    + secrets.get("oauth2 endpoint_params")
                    + "\" }",
                "}")
            .endpoint(
                refusing.get(3),
                "http_headers = { \"X-Api-Key\" = [\"" + secrets.get("http_headers") + "\"] }")
            .endpoint(
                "userinfo",
                "http://"
                    + secrets.get("URL token user info")
                    + "@127.0.0.1:"
                    + refusing.get(4).port())
            .endpoint(
                "password",
                "http://reluser:"
                    + secrets.get("URL password")
                    + "@127.0.0.1:"
                    + refusing.get(5).port())
            .endpoint(
                "proxy",
                "http://127.0.0.1:9",
                "proxy_url = \"http://proxyuser:"
                    + secrets.get("proxy_url password")
                    + "@127.0.0.1:"
                    + refusing.get(6).port()
                    + "\"")
            .endpoint(
                refusing.get(7),
                "headers = { \"Authorization\" = \"Bearer "
                    + secrets.get("headers Authorization")
                    + "\" }");
    GatewayProcess g =
        h.gateway("pyrogate", config, h.dir().resolve("pyrogate-data"), "debug").startReady();
    int count = 30;
    HttpLoad load = h.load(g.ingestPort(), HttpLoad.pushes("rel-secrets", "se", count), 10);
    load.await(Duration.ofSeconds(60));
    List<RecordingEndpoint> all = new ArrayList<>(refusing);
    all.add(bearer);
    all.add(tokenFromFile);
    h.awaitSettled(load.acknowledged(), all, config.bootstrap(), Duration.ofSeconds(90));
    Set<String> refusingNames = Set.copyOf(refusing.stream().map(RecordingEndpoint::name).toList());
    List<DeadLetter> deadLetters = h.deadLetters(config.bootstrap());
    Map<String, String> places = new LinkedHashMap<>();
    places.put("/metrics", g.get("/metrics").body());
    places.put("/-/ready", g.get("/-/ready").body());
    places.put("/-/healthy", g.get("/-/healthy").body());
    places.put("/", g.get("/").body());
    places.put("/api/status", g.get("/api/status").body());
    StringBuilder dlq = new StringBuilder();
    deadLetters.forEach(d -> dlq.append(d.rawText()).append('\n'));
    places.put("dead letters", dlq.toString());
    g.process().sigterm(Duration.ofSeconds(60));
    places.put("log", g.process().output());
    List<String> found = new ArrayList<>();
    needles.forEach(
        (kind, value) ->
            places.forEach(
                (place, text) -> {
                  if (text.contains(value)) {
                    found.add(kind + " in " + place);
                  }
                }));
    Counts c = Counts.of(load.acknowledged(), all, deadLetters, refusingNames);
    Verdict v =
        new Verdict()
            .noLoss(c)
            .promise(found.isEmpty(), "secrets found: " + String.join(", ", found))
            .note(
                secrets.size()
                    + " secrets ("
                    + String.join(", ", secrets.keySet())
                    + ") and "
                    + (needles.size() - secrets.size())
                    + " Basic-auth encodings searched in the debug log ("
                    + places.get("log").length() / 1024
                    + " KiB), /metrics, /-/ready, /-/healthy, /, /api/status and "
                    + deadLetters.size()
                    + " dead letters")
            .note("answers: " + load.byStatus());
    return h.result(
        count + " pushes at 10/s, 10 endpoints with every kind of secret, log level debug",
        c,
        v,
        "no secret in logs, metrics, pages or dead letters");
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
