package io.pyrogate.golang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FilePath gives the outputs of Go's path/filepath docs on Unix. */
class FilePathTest {

  @Test
  void joinJoinsNonEmptyElementsAndCleans() {
    assertThat(FilePath.join("a", "b", "c")).isEqualTo("a/b/c");
    assertThat(FilePath.join("a", "b/c")).isEqualTo("a/b/c");
    assertThat(FilePath.join("a/b", "c")).isEqualTo("a/b/c");
    assertThat(FilePath.join("a/b", "/c")).isEqualTo("a/b/c");
    assertThat(FilePath.join("a/b", "../../../xyz")).isEqualTo("../xyz");
    assertThat(FilePath.join("", "")).isEmpty();
  }

  @Test
  void cleanGivesTheShortestEquivalentPath() {
    assertThat(FilePath.clean("")).isEqualTo(".");
    assertThat(FilePath.clean("a/c")).isEqualTo("a/c");
    assertThat(FilePath.clean("a//c")).isEqualTo("a/c");
    assertThat(FilePath.clean("a/c/.")).isEqualTo("a/c");
    assertThat(FilePath.clean("a/c/b/..")).isEqualTo("a/c");
    assertThat(FilePath.clean("/../a/c")).isEqualTo("/a/c");
    assertThat(FilePath.clean("/../a/b/../././/c")).isEqualTo("/a/c");
    assertThat(FilePath.clean("/")).isEqualTo("/");
  }
}
