package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.SettingsSources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command finds the cluster and its settings, lowest precedence first: {@code --config FILE},
 * {@code SEGMENTER_*} environment variables, then the options below. Shared by run, generate, replay.
 */
public final class ClusterOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings as a properties file (segmenter, Kafka and registry settings); the environment and "
          + "the options below override it (default: none).")
  Path configFile;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "Kafka's bootstrap.servers (no default: give it here, in --config or as SEGMENTER_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Confluent-compatible schema registry URL, schema.registry.url (no default: give it here, in "
          + "--config or as SEGMENTER_SCHEMA_REGISTRY_URL).")
  String schemaRegistryUrl;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Any other setting, e.g. -s segmenter.model.k=8; repeatable. Every setting and its default: "
          + "docs/CONFIGURATION.md.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The merged settings (file, then environment, then options). */
  public Map<String, Object> settings(Map<String, String> environment) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (configFile != null) s.putAll(SettingsSources.fromFile(configFile));
    s.putAll(SettingsSources.fromEnvironment(environment));
    if (bootstrapServers != null) s.put("bootstrap.servers", bootstrapServers);
    if (schemaRegistryUrl != null) s.put(SegmenterConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    s.putAll(overrides);
    return s;
  }
}
