package io.pyrogate.delivery;

import io.pyrogate.config.SecretSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@link SecretSource} at use: an inline secret as it is, a file ({@code password_file},
 * {@code bearer_token_file}, {@code credentials_file}, {@code client_secret_file}) re-read when it
 * changes, so a rotated secret takes effect without a restart. Reads are asynchronous; {@link
 * #refresh()} is called before use and at most re-reads when size or modification time moved.
 */
final class SecretReader {
  private final Vertx vertx;
  private final SecretSource source;
  private volatile String value;
  private volatile String error = "not read yet";
  private long seenModified = -1;
  private long seenSize = -1;

  SecretReader(Vertx vertx, SecretSource source) {
    this.vertx = vertx;
    this.source = source;
    if (source instanceof SecretSource.Inline inline) {
      this.value = inline.read();
    }
  }

  /** Re-reads the file if it changed since the last read; completes when the value is current. */
  Future<Void> refresh() {
    if (source.file() == null) {
      return Future.succeededFuture();
    }
    String path = source.file().toString();
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              if (props.lastModifiedTime() == seenModified
                  && props.size() == seenSize
                  && value != null) {
                return Future.<Void>succeededFuture();
              }
              return read(path, props);
            })
        .recover(
            e -> {
              error = "cannot read " + source.file() + ": " + e.getMessage();
              value = null;
              return Future.succeededFuture();
            });
  }

  private Future<Void> read(String path, FileProps props) {
    return vertx
        .fileSystem()
        .readFile(path)
        .map(
            buffer -> {
              // Files written by editors and secret mounts often end with a newline that is not
              // part of the secret.
              value = buffer.toString(StandardCharsets.UTF_8).strip();
              error = null;
              seenModified = props.lastModifiedTime();
              seenSize = props.size();
              return null;
            });
  }

  /**
   * @throws IllegalStateException when the file could not be read; the request is then not sent
   */
  String value() {
    String v = value;
    if (v == null) {
      throw new IllegalStateException(error);
    }
    return v;
  }
}
