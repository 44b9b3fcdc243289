package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsSourcesTest {
  @Test
  void environmentVariablesMapToSegmenterKafkaAndRegistrySettings() {
    Map<String, String> s = SettingsSources.fromEnvironment(Map.of(
        "SEGMENTER_MODEL_K", "8",
        "SEGMENTER_HTTP_PORT", "9000",
        "SEGMENTER_BOOTSTRAP_SERVERS", "broker:9092",
        "SEGMENTER_SCHEMA_REGISTRY_URL", "http://registry:8081",
        "SEGMENTER_NUM_STREAM_THREADS", "4",
        "SEGMENTER_SASL_JAAS_CONFIG", "secret",
        "SEGMENTER_MAIN_CONSUMER_MAX_POLL_RECORDS", "100",
        "PATH", "/usr/bin"));
    assertThat(s).containsExactlyInAnyOrderEntriesOf(Map.of(
        "segmenter.model.k", "8",
        "segmenter.http.port", "9000",
        "bootstrap.servers", "broker:9092",
        "schema.registry.url", "http://registry:8081",
        "num.stream.threads", "4",
        "sasl.jaas.config", "secret",
        "main.consumer.max.poll.records", "100"));
  }

  @Test
  void aVariableThatMapsToNothingKnownIsAnErrorThatNamesItAndHidesTheValue() {
    assertThatThrownBy(() -> SettingsSources.fromEnvironment(Map.of("SEGMENTER_MODEL_KK", "topsecret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SEGMENTER_MODEL_KK")
        .hasMessageContaining("segmenter.model.kk")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void propertiesFileIsReadAndAMissingFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segmenter.properties");
    Files.writeString(file, "bootstrap.servers = b:9092\nsegmenter.model.k=5\n");
    assertThat(SettingsSources.fromFile(file)).containsEntry("bootstrap.servers", "b:9092").containsEntry("segmenter.model.k", "5");
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> SettingsSources.fromFile(missing)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.properties");
  }
}
