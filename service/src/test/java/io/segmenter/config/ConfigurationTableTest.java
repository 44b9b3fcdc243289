package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ConfigurationTableTest {
  @Test
  void docsHoldTheTableOfEverySetting() throws Exception {
    Path doc = Path.of("..", "docs", "CONFIGURATION.md");
    assertThat(Files.readString(doc))
        .as("docs/CONFIGURATION.md is out of date: regenerate its table with "
            + "java -cp service/target/segmenter-service.jar io.segmenter.config.ConfigurationTable")
        .contains(ConfigurationTable.markdown());
  }

  @Test
  void everyDocumentedVariableMapsBackToItsSetting() {
    for (ConfigDef.ConfigKey key : SegmenterConfig.CONFIG.configKeys().values()) {
      assertThat(SettingsSources.settingName(ConfigurationTable.environmentVariable(key.name))).isEqualTo(key.name);
    }
  }
}
