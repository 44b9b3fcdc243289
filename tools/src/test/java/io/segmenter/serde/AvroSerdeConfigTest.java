package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.ClickEvent;
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
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, " FALSE ",
        AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
        AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS, "true"));

    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.specificAvroReader()).isTrue();
    assertThat(config.useLogicalTypeConverters()).isTrue();
  }

  @Test
  void aBooleanThatIsNotOneFailsNamingTheKey() {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.SPECIFIC_AVRO_READER)
        .hasMessageContaining("yes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RecordNameStrategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
      "io.segmenter.serde.RecordNameStrategy"})
  void recordNameStrategyByShortConfluentOrOwnName(String name) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, name));

    assertThat(config.subjectNameStrategy(false)).isInstanceOf(RecordNameStrategy.class);
    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
  }

  @Test
  void keyStrategyMayBeGivenAsAClass() {
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
        TopicRecordNameStrategy.class, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
        "io.confluent.kafka.serializers.subject.TopicNameStrategy"));

    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicRecordNameStrategy.class);
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SubjectPerDayStrategy", "com.example.RecordNameStrategy", ""})
  void anUnknownStrategyFailsNamingTheKey(String name) {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, name)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY);
  }

  @Test
  void useLatestVersionNeedsAutoRegisterOff() {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.USE_LATEST_VERSION)
        .hasMessageContaining(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=false");

    AvroSerdeConfig ok = AvroSerdeConfig.parse(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, "true",
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));
    assertThat(ok.useLatestVersion()).isTrue();
  }

  @Test
  void serializerConfiguredWithABadStrategyFailsAtConfigureNotAtTheFirstRecord() {
    AvroSerializer<ClickEvent> serializer = new AvroSerializer<>(new InMemoryRegistryClient());
    assertThatThrownBy(() -> serializer.configure(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "Nope"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY);
  }

  @Test
  void withoutAClientTheRegistryUrlIsRequired() {
    AvroSerializer<ClickEvent> serializer = new AvroSerializer<>();
    assertThatThrownBy(() -> serializer.configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
  }

  @Test
  void anUnconfiguredSerializerWithoutClientSaysSo() {
    assertThatThrownBy(() -> new AvroSerializer<ClickEvent>().serialize("t", TestRecords.click(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configure");
  }
}
