package io.segmenter.cli;

import io.segmenter.config.KnownSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.SettingsSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
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

  /**
   * The merged settings (file, then environment, then options). An unknown key from any source, or
   * any missing required setting, throws Kafka's ConfigException naming all of them at once.
   */
  public Map<String, Object> settings(Map<String, String> environment) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (configFile != null) s.putAll(SettingsSources.fromFile(configFile));
    s.putAll(SettingsSources.fromEnvironment(environment));
    if (bootstrapServers != null) s.put(BOOTSTRAP_SERVERS, bootstrapServers);
    if (schemaRegistryUrl != null) s.put(SegmenterConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    s.putAll(overrides);
    KnownSettings.requireKnown(s);
    requirePresent(s);
    return s;
  }

  private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  /** Both addresses at once: a newcomer missing both should not have to run twice to learn it. */
  private static void requirePresent(Map<String, Object> s) {
    List<String> missing = new ArrayList<>();
    if (blank(s.get(BOOTSTRAP_SERVERS))) missing.add(BOOTSTRAP_SERVERS + " (--bootstrap-servers or SEGMENTER_BOOTSTRAP_SERVERS)");
    if (blank(s.get(SegmenterConfig.SCHEMA_REGISTRY_URL))) {
      missing.add(SegmenterConfig.SCHEMA_REGISTRY_URL + " (--schema-registry-url or SEGMENTER_SCHEMA_REGISTRY_URL)");
    }
    if (missing.isEmpty()) return;
    throw new ConfigException("Missing required configuration: " + String.join(" and ", missing)
        + (missing.size() > 1 ? "; neither has a default" : "; it has no default"));
  }

  private static boolean blank(Object value) {
    return value == null || value.toString().isBlank();
  }
}
