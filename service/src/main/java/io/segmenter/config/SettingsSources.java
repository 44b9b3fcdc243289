package io.segmenter.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the settings of {@code run} come from, lowest precedence first: a properties file, then
 * {@code SEGMENTER_*} environment variables, then command-line options.
 *
 * <p>An environment variable maps to a setting by dropping the prefix, lower-casing and turning
 * {@code _} into {@code .}: {@code SEGMENTER_MODEL_K} is {@code segmenter.model.k} (segmenter's own
 * settings keep their {@code segmenter.} prefix), {@code SEGMENTER_BOOTSTRAP_SERVERS} is
 * {@code bootstrap.servers} and {@code SEGMENTER_SCHEMA_REGISTRY_URL} is {@code schema.registry.url}.
 * Because the mapping guesses, a variable that maps to no known setting is an error, not ignored.
 */
public final class SettingsSources {
  public static final String ENV_PREFIX = "SEGMENTER_";
  private SettingsSources() { }

  /** Settings from {@code SEGMENTER_*} variables; a variable that names no known setting throws. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) continue;
      settings.put(settingName(e.getKey()), e.getValue());
    }
    return settings;
  }

  /** The setting an environment variable stands for (see the class comment). */
  public static String settingName(String variable) {
    String plain = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    String own = "segmenter." + plain;
    if (SegmenterConfig.CONFIG.names().contains(own)) return own;
    if (KnownSettings.isKafkaOrRegistry(plain)) return plain;
    String suggestion = KnownSettings.closest(own).or(() -> KnownSettings.closest(plain))
        .map(k -> " (did you mean " + ConfigurationTable.environmentVariable(k) + "?)").orElse("");
    throw new ConfigException(variable, "(hidden)", "maps to '" + plain + "', which is neither a segmenter setting ("
        + own + ") nor a Kafka, Kafka Streams or schema registry setting" + suggestion + "; see docs/CONFIGURATION.md");
  }

  /** Settings from a properties file; a missing or unreadable file throws with its path. */
  public static Map<String, String> fromFile(Path file) {
    java.util.Properties p = new java.util.Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config: no such file: " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> settings = new TreeMap<>();
    for (String name : p.stringPropertyNames()) settings.put(name, p.getProperty(name).trim());
    return settings;
  }
}
