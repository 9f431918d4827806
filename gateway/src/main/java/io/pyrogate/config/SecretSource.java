package io.pyrogate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret comes from: given inline ({@code password}, {@code bearer_token}, {@code key_pem}
 * ...) or named as a file ({@code password_file}, {@code bearer_token_file}, {@code key_file} ...)
 * that is read at use, so a rotated file takes effect without a restart. Alloy lets each such pair
 * set at most one; the config records hold one {@code SecretSource}, or null when neither is set.
 *
 * <p>Neither form shows the secret: an inline one prints as {@value Secret#SHOWN}, a file as its
 * path.
 */
public sealed interface SecretSource {

  static SecretSource inline(Secret value) {
    return new Inline(value);
  }

  static SecretSource file(Path path) {
    return new File(path);
  }

  /** The file the secret is read from; null for an inline secret. */
  Path file();

  /**
   * The secret now: the inline value, or the file's content (as it is: callers strip what their
   * format ignores). Blocks while a file is read.
   *
   * @throws IOException when the file cannot be read
   */
  String read() throws IOException;

  /** A secret given in the configuration. */
  record Inline(Secret secret) implements SecretSource {
    public Inline {
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public Path file() {
      return null;
    }

    @Override
    public String read() {
      return secret.reveal();
    }

    @Override
    public String toString() {
      return Secret.SHOWN;
    }
  }

  /** A secret kept in a file, read at use. */
  record File(Path path) implements SecretSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public Path file() {
      return path;
    }

    @Override
    public String read() throws IOException {
      return Files.readString(path, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }
}
