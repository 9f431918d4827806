package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.Secret;
import io.pyrogate.config.SecretSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReaderTest {
  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    complete(vertx.close());
  }

  @Test
  void anInlineSecretIsThereWithoutReading() throws Exception {
    SecretReader reader = new SecretReader(vertx, SecretSource.inline(new Secret("pw")));
    assertThat(reader.value()).isEqualTo("pw");
    complete(reader.refresh());
    assertThat(reader.value()).isEqualTo("pw");
  }

  @Test
  void aFileIsReadWithoutItsTrailingNewlineAndReadAgainWhenItChanges() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "one\n");
    SecretReader reader = new SecretReader(vertx, SecretSource.file(file));
    complete(reader.refresh());
    assertThat(reader.value()).isEqualTo("one");
    Files.writeString(file, "rotated-two\n");
    complete(reader.refresh());
    assertThat(reader.value()).isEqualTo("rotated-two");
  }

  @Test
  void aFileThatCannotBeReadGivesNoValueAndAMessageNamingThePath() throws Exception {
    Path file = dir.resolve("token");
    SecretReader reader = new SecretReader(vertx, SecretSource.file(file));
    complete(reader.refresh());
    assertThatThrownBy(reader::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString());
    Files.writeString(file, "s3cret");
    complete(reader.refresh());
    assertThat(reader.value()).isEqualTo("s3cret");
    Files.delete(file);
    complete(reader.refresh());
    assertThatThrownBy(reader::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("s3cret");
  }

  private static <T> T complete(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
