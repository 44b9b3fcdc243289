package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.privacy.Pseudonymiser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** segmenter.privacy.pseudonymise.key.file: off by default, read once at start-up, a bad file stops it. */
class PseudonymisationSettingTest {
  private static final String KEY = "a-key-of-at-least-32-bytes-for-the-settings-test";

  private static SegmenterConfig config(String keyFile) {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    if (keyFile != null) p.put(SegmenterConfig.PSEUDONYMISE_KEY_FILE, keyFile);
    return new SegmenterConfig(p);
  }

  @Test
  void offByDefault() {
    assertThat(config(null).pseudonymiser().enabled()).isFalse();
    assertThat(config("").pseudonymiser().pseudonymise("c-1")).isEqualTo("c-1");
  }

  @Test
  void aKeyFileTurnsItOn(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("key"), KEY + "\n");
    SegmenterConfig c = config(file.toString());
    assertThat(c.pseudonymiser().enabled()).isTrue();
    assertThat(c.pseudonymiser().pseudonymise("c-1")).isEqualTo(Pseudonymiser.hmac(KEY.getBytes()).pseudonymise("c-1"));
    assertThat(c.pseudonymiser()).as("read once").isSameAs(c.pseudonymiser());
  }

  @Test
  void aMissingOrShortKeyFileStopsStartUpNamingTheSetting(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> config(dir.resolve("absent").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.PSEUDONYMISE_KEY_FILE)
        .hasMessageContaining("does not exist");
    Path shortKey = Files.writeString(dir.resolve("short"), "too-short-a-key\n");
    assertThatThrownBy(() -> config(shortKey.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.PSEUDONYMISE_KEY_FILE)
        .hasMessageContaining("at least 32")
        .message().doesNotContain("too-short-a-key");
  }

  @Test
  void theEnvironmentVariableMapsToTheSetting() {
    assertThat(ConfigurationTable.environmentVariable(SegmenterConfig.PSEUDONYMISE_KEY_FILE))
        .isEqualTo("SEGMENTER_PRIVACY_PSEUDONYMISE_KEY_FILE");
  }
}
