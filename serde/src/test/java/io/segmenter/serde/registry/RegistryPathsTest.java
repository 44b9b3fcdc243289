package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryPathsTest {
  @Test
  void subjectIsOnePathSegment() {
    assertThat(RegistryPaths.segment("io.segmenter.Customer-value")).isEqualTo("io.segmenter.Customer-value");
    assertThat(RegistryPaths.segment("team/a b+c%")).isEqualTo("team%2Fa%20b%2Bc%25");
    assertThat(RegistryPaths.segment("é?#")).isEqualTo("%C3%A9%3F%23");
  }

  @Test
  void buildsConfluentPaths() {
    assertThat(RegistryPaths.subjectVersions("a/b")).isEqualTo("/subjects/a%2Fb/versions");
    assertThat(RegistryPaths.subjectVersion("s", "latest")).isEqualTo("/subjects/s/versions/latest");
    assertThat(RegistryPaths.compatibilityWithLatest("s")).isEqualTo("/compatibility/subjects/s/versions/latest");
    assertThat(RegistryPaths.config(null)).isEqualTo("/config");
    assertThat(RegistryPaths.config("s")).isEqualTo("/config/s");
    assertThat(RegistryPaths.schemaById(42)).isEqualTo("/schemas/ids/42");
  }
}
