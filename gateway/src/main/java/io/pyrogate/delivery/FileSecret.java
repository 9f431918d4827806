package io.pyrogate.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;

/**
 * A secret kept in a file ({@code password_file}, {@code bearer_token_file}, {@code credentials_file}),
 * re-read when the file changes, so a rotated secret takes effect without a restart. Reads are asynchronous;
 * {@link #refresh()} is called before use and at most re-reads when size or modification time moved.
 */
final class FileSecret {
  private final Vertx vertx;
  private final Path path;
  private volatile String value;
  private volatile String error = "not read yet";
  private long seenModified = -1;
  private long seenSize = -1;

  FileSecret(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path;
  }

  /** Re-reads the file if it changed since the last read; completes when the value is current. */
  Future<Void> refresh() {
    return vertx.fileSystem().props(path.toString()).compose(props -> {
      if (props.lastModifiedTime() == seenModified && props.size() == seenSize && value != null) {
        return Future.<Void>succeededFuture();
      }
      return read(props);
    }).recover(e -> {
      error = "cannot read " + path + ": " + e.getMessage();
      value = null;
      return Future.succeededFuture();
    });
  }

  private Future<Void> read(FileProps props) {
    return vertx.fileSystem().readFile(path.toString()).map(buffer -> {
      // Files written by editors and secret mounts often end with a newline that is not part of the secret.
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
