package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/SERDE.md is the serde's and the registry client's {@link ConfigDef}s, so
 * that the page cannot drift from the code. The table as it should read is written to
 * serde/target/serde-settings-table.md on every run, to paste when this fails.
 */
class SettingsTableTest {
  private static final Path PAGE = Path.of("../docs/SERDE.md");
  private static final String HEADER = "| key | type | default | valid values | meaning |";

  @Test
  void theSerdePageListsEverySettingAsTheCodeDeclaresIt() throws IOException {
    String expected = table();
    Files.writeString(Path.of("target/serde-settings-table.md"), expected);

    assertThat(tableOnThePage()).as("docs/SERDE.md's settings table (it should read as serde/target/"
        + "serde-settings-table.md)").isEqualTo(expected);
  }

  @Test
  void theTableHasARowPerSettingOfBothClasses() {
    long rows = table().lines().count() - 2;

    assertThat(rows).isEqualTo(SchemaRegistryClientConfig.configDef().names().size()
        + AvroSerdeConfig.configDef().names().size());
  }

  static String table() {
    StringBuilder md = new StringBuilder(HEADER).append("\n|---|---|---|---|---|\n");
    for (ConfigDef def : List.of(SchemaRegistryClientConfig.configDef(), AvroSerdeConfig.configDef())) {
      for (ConfigDef.ConfigKey key : def.configKeys().values()) {
        md.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(Locale.ROOT))
            .append(" | ").append(defaultValue(key)).append(" | ")
            .append(key.validator == null ? "" : escape(key.validator.toString())).append(" | ")
            .append(escape(key.documentation)).append(" |\n");
      }
    }
    return md.toString();
  }

  private static String tableOnThePage() throws IOException {
    List<String> lines = Files.readAllLines(PAGE);
    int start = lines.indexOf(HEADER);
    assertThat(start).as("a settings table headed '%s' in %s", HEADER, PAGE).isNotNegative();
    StringBuilder md = new StringBuilder();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) md.append(lines.get(i)).append('\n');
    return md.toString();
  }

  private static String defaultValue(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) return "required";
    if (key.defaultValue == null || key.defaultValue instanceof List<?> list && list.isEmpty()) return "none";
    return "`" + (key.type == ConfigDef.Type.PASSWORD ? "(hidden)" : String.valueOf(key.defaultValue)) + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
