package io.pyrogate.config.syntax;

/**
 * A value that depends on another component's export, which the evaluator cannot resolve, e.g.
 * {@code pyroscope.write.staging.receiver} or {@code
 * remote.kubernetes.secret.creds.data["profiles_url"]}. Operations and stdlib calls on a reference
 * yield a reference naming the first reference involved.
 */
public record ReferenceValue(String path, Position position) implements Value {}
