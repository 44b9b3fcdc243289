package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.SampleRecords;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvroSerdeConfigTest {

  @Test
  void defaultsAreConfluents() {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of("schema.registry.url", "http://x", "acks", "all"));

    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.specificAvroReader()).isFalse();
    assertThat(config.useLogicalTypeConverters()).isFalse();
    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
  }

  @Test
  void booleansAcceptBooleanObjectsAndStrings() {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of(
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, " FALSE ",
        AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true,
        AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, "true"));

    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.specificAvroReader()).isTrue();
    assertThat(config.useLogicalTypeConverters()).isTrue();
  }

  @Test
  void aBooleanThatIsNotOneFailsNamingTheKey() {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG)
        .hasMessageContaining("yes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RecordNameStrategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
      "io.segmenter.serde.RecordNameStrategy"})
  void recordNameStrategyByShortConfluentOrOwnName(String name) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, name));

    assertThat(config.subjectNameStrategy(false)).isInstanceOf(RecordNameStrategy.class);
    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
  }

  @Test
  void keyStrategyMayBeGivenAsAClass() {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG,
        TopicRecordNameStrategy.class, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
        "io.confluent.kafka.serializers.subject.TopicNameStrategy"));

    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicRecordNameStrategy.class);
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SubjectPerDayStrategy", "com.example.RecordNameStrategy", ""})
  void anUnknownStrategyFailsNamingTheKey(String name) {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG, name)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG);
  }

  @Test
  void useLatestVersionNeedsAutoRegisterOff() {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG)
        .hasMessageContaining(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG + "=false");

    AvroSerdeConfig ok = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true",
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"));
    assertThat(ok.useLatestVersion()).isTrue();
  }

  @Test
  void theConfigDefDeclaresEverySettingOnceWithItsDoc() throws IllegalAccessException {
    List<String> constants = new ArrayList<>();
    for (Field field : AvroSerdeConfig.class.getDeclaredFields()) {
      if (field.getName().endsWith("_CONFIG") && Modifier.isPublic(field.getModifiers())) {
        constants.add((String) field.get(null));
      }
    }

    assertThat(AvroSerdeConfig.configDef().names()).containsExactlyInAnyOrderElementsOf(constants);
    assertThat(AvroSerdeConfig.configDef().configKeys().values())
        .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
  }

  @Test
  void nullMeansUnset() {
    Map<String, Object> configs = new HashMap<>();
    configs.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, null);
    configs.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, null);

    AvroSerdeConfig config = AvroSerdeConfig.parse(configs);

    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
  }

  @Test
  void serializerConfiguredWithABadStrategyFailsAtConfigureNotAtTheFirstRecord() {
    AvroSerializer<Click> serializer = new AvroSerializer<>(new InMemoryRegistryClient());
    assertThatThrownBy(
            () -> serializer.configure(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, "Nope"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG);
  }

  @Test
  void withoutAClientTheRegistryUrlIsRequired() {
    AvroSerializer<Click> serializer = new AvroSerializer<>();
    assertThatThrownBy(() -> serializer.configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG);
  }

  @Test
  void anUnconfiguredSerializerWithoutClientSaysSo() {
    assertThatThrownBy(() -> new AvroSerializer<Click>().serialize("t", SampleRecords.click(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configure");
  }
}
