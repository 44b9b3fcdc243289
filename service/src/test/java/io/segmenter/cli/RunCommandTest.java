package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code run} stops before connecting anywhere when a setting is missing or malformed, with exit code
 * 2 and a message that names the setting. (A good configuration is exercised end to end by
 * ServiceEntryPointIT, which starts the real jar.)
 */
class RunCommandTest {
  private static final Map<String, String> CLUSTER = Map.of(
      "SEGMENTER_BOOTSTRAP_SERVERS", "127.0.0.1:1", "SEGMENTER_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1");

  private static CommandOutcome run(Map<String, String> env, String... args) {
    return CommandOutcome.runCommand(env, args);
  }

  @Test
  void missingRegistryUrlIsNamed() {
    CommandOutcome o = run(Map.of("SEGMENTER_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("schema.registry.url").contains("Missing required configuration");
  }

  @Test
  void missingBootstrapServersIsNamed() {
    CommandOutcome o = run(Map.of("SEGMENTER_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1"));
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("bootstrap.servers");
  }

  @Test
  void malformedValueFromTheEnvironmentIsNamed() {
    Map<String, String> env = new java.util.HashMap<>(CLUSTER);
    env.put("SEGMENTER_MODEL_K", "six");
    CommandOutcome o = run(env);
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("segmenter.model.k").contains("six");
  }

  @Test
  void outOfRangeValueFromAnOptionIsNamed() {
    CommandOutcome o = run(CLUSTER, "-s", "segmenter.segment.hysteresis.margin=1.5");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("segmenter.segment.hysteresis.margin");
  }

  @Test
  void misspeltSegmenterSettingIsNamedNotIgnored() {
    CommandOutcome o = run(CLUSTER, "-s", "segmenter.model.kay=7");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("segmenter.model.kay");
  }

  @Test
  void malformedKafkaSettingIsNamed() {
    CommandOutcome o = run(CLUSTER, "-s", "num.stream.threads=many");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("num.stream.threads");
  }

  @Test
  void unknownEnvironmentVariableIsNamed() {
    Map<String, String> env = new java.util.HashMap<>(CLUSTER);
    env.put("SEGMENTER_MODLE_K", "6");
    CommandOutcome o = run(env);
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("SEGMENTER_MODLE_K");
  }

  @Test
  void missingConfigFileIsNamed() {
    CommandOutcome o = run(CLUSTER, "--config", "/nonexistent/segmenter.properties");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("/nonexistent/segmenter.properties");
  }
}
