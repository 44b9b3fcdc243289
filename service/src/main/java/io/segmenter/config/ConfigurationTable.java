package io.segmenter.config;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The table of segmenter's own settings in docs/CONFIGURATION.md, generated from {@link SegmenterConfig}
 * so that the documentation cannot drift from the code (a test compares them). Regenerate with
 * {@code java -cp service/target/segmenter-service.jar io.segmenter.config.ConfigurationTable}.
 */
public final class ConfigurationTable {
  private ConfigurationTable() { }

  public static void main(String[] args) {
    System.out.print(markdown());
  }

  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("| setting | environment variable | type | default | valid values | meaning |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : SegmenterConfig.CONFIG.configKeys().values()) {
      md.append("| `").append(key.name).append("` | `").append(environmentVariable(key.name)).append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(defaultValue(key)).append(" | ")
          .append(key.validator == null ? "" : escape(key.validator.toString())).append(" | ")
          .append(escape(key.documentation)).append(" |\n");
    }
    return md.toString();
  }

  /** The SEGMENTER_* variable that sets it (see SettingsSources). */
  static String environmentVariable(String setting) {
    String plain = setting.startsWith("segmenter.") ? setting.substring("segmenter.".length()) : setting;
    return SettingsSources.ENV_PREFIX + plain.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static String defaultValue(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) return "required";
    String suffix = SegmenterConfig.DERIVED_TOPIC_SUFFIXES.get(key.name);
    if (suffix != null) return "`<application.id>" + suffix + "`";
    Object d = key.defaultValue;
    if (d == null) return "none";
    if (d instanceof java.util.List<?> list) return list.isEmpty() ? "none" : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
    String s = String.valueOf(d);
    return s.isEmpty() ? "(empty)" : "`" + s + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
