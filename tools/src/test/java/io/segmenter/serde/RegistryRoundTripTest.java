package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Round trips through the embedded registry over real HTTP, with the project's REGISTRY.client(). */
@Timeout(60)
class RegistryRoundTripTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();


  private static Map<String, Object> config(Object... keysAndValues) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("schema.registry.url", REGISTRY.registry().url());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }

  private static <T extends SpecificRecord> T roundTrip(Class<T> type, String topic, T record) {
    try (SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, REGISTRY.client())) {
      serde.configure(config(), false);
      byte[] bytes = serde.serializer().serialize(topic, record);
      int id = REGISTRY.client().getLatestVersion(topic + "-value").id();
      assertThat(WireFormat.readSchemaId(bytes, 0, bytes.length)).isEqualTo(id);
      return serde.deserializer().deserialize(topic, bytes);
    }
  }

  @Test
  void clickEvents() {
    for (int i = 0; i < 10; i++) {
      assertThat(roundTrip(ClickEvent.class, "rt-clicks", TestRecords.click(i))).isEqualTo(TestRecords.click(i));
    }
  }

  @Test
  void orderEventWithCategoriesAndDecimal() {
    OrderEvent read = roundTrip(OrderEvent.class, "rt-orders", TestRecords.order(3));

    assertThat(read).isEqualTo(TestRecords.order(3));
    assertThat(read.getAmount()).isEqualTo(new BigDecimal("1234.5678"));
    assertThat(read.getCategories()).containsExactly("electronics.smartphone", "home.kitchen");
  }

  @Test
  void segmentChangeWithNestedNullableRecordsAndEnums() {
    assertThat(roundTrip(SegmentChange.class, "rt-changes", TestRecords.segmentChange(true)))
        .isEqualTo(TestRecords.segmentChange(true));
    SegmentChange full = roundTrip(SegmentChange.class, "rt-changes", TestRecords.segmentChange(false));
    assertThat(full).isEqualTo(TestRecords.segmentChange(false));
    assertThat(full.getPreviousSegment().getName()).isEqualTo("At Risk");
    assertThat(full.getRfm().getTotalSpend()).isEqualTo(new BigDecimal("4321.0000"));
  }

  @Test
  void modelVersionWithArraysOfRecords() {
    assertThat(roundTrip(ModelVersion.class, "rt-model", TestRecords.modelVersion())).isEqualTo(TestRecords.modelVersion());
  }

  @Test
  void genericRecordsReadSpecificBytesAndWriteTheSameBytesBack() {
    try (SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client())) {
      specific.configure(config(), false);
      generic.configure(config(), false);
      byte[] bytes = specific.serializer().serialize("rt-generic", TestRecords.click(4));

      GenericRecord read = generic.deserializer().deserialize("rt-generic", bytes);
      assertThat(read.get("customerId")).isEqualTo("customer-4");
      assertThat(read.get("price")).isInstanceOf(ByteBuffer.class);
      assertThat(read.get("type").toString()).isEqualTo(TestRecords.click(4).getType().name());
      assertThat(generic.serializer().serialize("rt-generic", read)).isEqualTo(bytes);
    }
  }

  @Test
  void genericRecordsWithLogicalTypeConvertersHoldJavaTypes() {
    try (SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client())) {
      specific.configure(config(), false);
      generic.configure(config(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true), false);
      ClickEvent click = TestRecords.click(4);

      GenericRecord read = generic.deserializer().deserialize("rt-generic-conv",
          specific.serializer().serialize("rt-generic-conv", click));

      assertThat(read.get("price")).isEqualTo(click.getPrice());
      assertThat(read.get("occurredAt")).isEqualTo(click.getOccurredAt());
    }
  }

  @Test
  void keysAndValuesGoToTheirOwnSubjects() {
    try (SpecificAvroSerde<SegmentChange> keys = new SpecificAvroSerde<>(SegmentChange.class, REGISTRY.client());
         SpecificAvroSerde<ClickEvent> values = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client())) {
      keys.configure(config(), true);
      values.configure(config(), false);

      byte[] key = keys.serializer().serialize("rt-keyed", TestRecords.segmentChange(true));
      byte[] value = values.serializer().serialize("rt-keyed", TestRecords.click(1));

      assertThat(REGISTRY.client().getSubjects()).contains("rt-keyed-key", "rt-keyed-value");
      assertThat(REGISTRY.client().getLatestVersion("rt-keyed-key").schema().getName()).isEqualTo("SegmentChange");
      assertThat(keys.deserializer().deserialize("rt-keyed", key)).isEqualTo(TestRecords.segmentChange(true));
      assertThat(values.deserializer().deserialize("rt-keyed", value)).isEqualTo(TestRecords.click(1));
    }
  }

  @Test
  void everyStrategyRegistersTheExpectedSubject() {
    serializeWith("TopicNameStrategy", false, "strat-topic");
    serializeWith("io.confluent.kafka.serializers.subject.RecordNameStrategy", false, "strat-record");
    serializeWith("TopicRecordNameStrategy", false, "strat-topic-record");
    serializeWith("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", true, "strat-topic-record");

    assertThat(REGISTRY.client().getSubjects()).contains(
        "strat-topic-value",
        "io.segmenter.events.OrderEvent",
        "strat-topic-record-io.segmenter.events.OrderEvent");
    assertThat(REGISTRY.client().getSubjects()).filteredOn(s -> s.startsWith("strat-record")).isEmpty();
  }

  private static void serializeWith(String strategy, boolean isKey, String topic) {
    String key = isKey ? AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG : AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
    try (SpecificAvroSerde<OrderEvent> serde = new SpecificAvroSerde<>(OrderEvent.class, REGISTRY.client())) {
      serde.configure(config(key, strategy), isKey);
      byte[] bytes = serde.serializer().serialize(topic, TestRecords.order(1));
      assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(TestRecords.order(1));
    }
  }

  @Test
  void serdesNamedInKafkaConfigurationMakeAndCloseTheirOwnClient() {
    // As Kafka does for a serde named in default.value.serde: no-arg constructor, then configure().
    SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>();
    serde.configure(config(), false);
    byte[] bytes = serde.serializer().serialize("rt-named", TestRecords.click(2));

    assertThat(serde.deserializer().deserialize("rt-named", bytes)).isEqualTo(TestRecords.click(2));
    serde.close();

    AvroDeserializer<Object> plain = new AvroDeserializer<>();
    plain.configure(config(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"), false);
    assertThat(plain.deserialize("rt-named", bytes)).isEqualTo(TestRecords.click(2));
    plain.close();
  }

  @Test
  void genericSerdeWithAReaderSchemaProjects() {
    Schema projection = new Schema.Parser().parse("""
        {"type": "record", "name": "ClickEvent", "namespace": "io.segmenter.events", "fields": [
          {"name": "customerId", "type": "string"},
          {"name": "campaign", "type": "string", "default": "none"}]}""");
    try (SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client(), projection)) {
      specific.configure(config(), false);
      generic.configure(config(), false);

      GenericRecord read = generic.deserializer().deserialize("rt-projection",
          specific.serializer().serialize("rt-projection", TestRecords.click(5)));

      assertThat(read.getSchema().getFields()).hasSize(2);
      assertThat(read.get("customerId").toString()).isEqualTo("customer-5");
      assertThat(read.get("campaign").toString()).isEqualTo("none");
    }
  }
}
