package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.registry.MiniRegistryFixture;
import io.segmenter.testing.avro.Assignment;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.Order;
import io.segmenter.testing.avro.SampleRecords;
import io.segmenter.testing.avro.Snapshot;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Round trips through the real client and {@link io.segmenter.serde.registry.MiniRegistry} over
 * HTTP, with every kind of record the test schemas hold.
 */
@Timeout(60)
class RegistryRoundTripTest {
  @RegisterExtension
  static final MiniRegistryFixture REGISTRY = new MiniRegistryFixture();

  private static Map<String, Object> config(Object... keysAndValues) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("schema.registry.url", REGISTRY.registry().url());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }

  private static <T extends SpecificRecord> T roundTrip(Class<T> type, String topic, T record) {
    return SerdeChecks.roundTrip(REGISTRY, type, topic, record);
  }


  @Test
  void clickEvents() {
    for (int i = 0; i < 10; i++) {
      assertThat(roundTrip(Click.class, "rt-clicks", SampleRecords.click(i))).isEqualTo(SampleRecords.click(i));
    }
  }

  @Test
  void orderEventWithCategoriesAndDecimal() {
    Order read = roundTrip(Order.class, "rt-orders", SampleRecords.order(3));

    assertThat(read).isEqualTo(SampleRecords.order(3));
    assertThat(read.getAmount()).isEqualTo(new BigDecimal("1234.5678"));
    assertThat(read.getCategories()).containsExactly("electronics.smartphone", "home.kitchen");
  }

  @Test
  void segmentChangeWithNestedNullableRecordsAndEnums() {
    assertThat(roundTrip(Assignment.class, "rt-changes", SampleRecords.assignment(true)))
        .isEqualTo(SampleRecords.assignment(true));
    Assignment full = roundTrip(Assignment.class, "rt-changes", SampleRecords.assignment(false));
    assertThat(full).isEqualTo(SampleRecords.assignment(false));
    assertThat(full.getPrevious().getName()).isEqualTo("At Risk");
    assertThat(full.getFigures().getTotalSpend()).isEqualTo(new BigDecimal("4321.0000"));
  }

  @Test
  void modelVersionWithArraysOfRecords() {
    assertThat(roundTrip(Snapshot.class, "rt-model", SampleRecords.snapshot())).isEqualTo(SampleRecords.snapshot());
  }

  @Test
  void genericRecordsReadSpecificBytesAndWriteTheSameBytesBack() {
    try (SpecificAvroSerde<Click> specific = new SpecificAvroSerde<>(Click.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client())) {
      specific.configure(config(), false);
      generic.configure(config(), false);
      byte[] bytes = specific.serializer().serialize("rt-generic", SampleRecords.click(4));

      GenericRecord read = generic.deserializer().deserialize("rt-generic", bytes);
      assertThat(read.get("customerId")).isEqualTo("customer-4");
      assertThat(read.get("price")).isInstanceOf(ByteBuffer.class);
      assertThat(read.get("type").toString()).isEqualTo(SampleRecords.click(4).getType().name());
      assertThat(generic.serializer().serialize("rt-generic", read)).isEqualTo(bytes);
    }
  }

  @Test
  void genericRecordsWithLogicalTypeConvertersHoldJavaTypes() {
    try (SpecificAvroSerde<Click> specific = new SpecificAvroSerde<>(Click.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client())) {
      specific.configure(config(), false);
      generic.configure(config(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true), false);
      Click click = SampleRecords.click(4);

      GenericRecord read = generic.deserializer().deserialize("rt-generic-conv",
          specific.serializer().serialize("rt-generic-conv", click));

      assertThat(read.get("price")).isEqualTo(click.getPrice());
      assertThat(read.get("occurredAt")).isEqualTo(click.getOccurredAt());
    }
  }

  @Test
  void keysAndValuesGoToTheirOwnSubjects() {
    try (SpecificAvroSerde<Assignment> keys = new SpecificAvroSerde<>(Assignment.class, REGISTRY.client());
         SpecificAvroSerde<Click> values = new SpecificAvroSerde<>(Click.class, REGISTRY.client())) {
      keys.configure(config(), true);
      values.configure(config(), false);

      byte[] key = keys.serializer().serialize("rt-keyed", SampleRecords.assignment(true));
      byte[] value = values.serializer().serialize("rt-keyed", SampleRecords.click(1));

      assertThat(REGISTRY.client().getSubjects()).contains("rt-keyed-key", "rt-keyed-value");
      assertThat(REGISTRY.client().getLatestVersion("rt-keyed-key").schema().getName()).isEqualTo("Assignment");
      assertThat(keys.deserializer().deserialize("rt-keyed", key)).isEqualTo(SampleRecords.assignment(true));
      assertThat(values.deserializer().deserialize("rt-keyed", value)).isEqualTo(SampleRecords.click(1));
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
        "io.segmenter.testing.avro.Order",
        "strat-topic-record-io.segmenter.testing.avro.Order");
    assertThat(REGISTRY.client().getSubjects()).filteredOn(s -> s.startsWith("strat-record")).isEmpty();
  }

  private static void serializeWith(String strategy, boolean isKey, String topic) {
    String key =
        isKey ? AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG : AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
    try (SpecificAvroSerde<Order> serde = new SpecificAvroSerde<>(Order.class, REGISTRY.client())) {
      serde.configure(config(key, strategy), isKey);
      byte[] bytes = serde.serializer().serialize(topic, SampleRecords.order(1));
      assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(SampleRecords.order(1));
    }
  }

  @Test
  void serdesNamedInKafkaConfigurationMakeAndCloseTheirOwnClient() {
    // As Kafka does for a serde named in default.value.serde: no-arg constructor, then configure().
    SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>();
    serde.configure(config(), false);
    byte[] bytes = serde.serializer().serialize("rt-named", SampleRecords.click(2));

    assertThat(serde.deserializer().deserialize("rt-named", bytes)).isEqualTo(SampleRecords.click(2));
    serde.close();

    AvroDeserializer<Object> plain = new AvroDeserializer<>();
    plain.configure(config(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"), false);
    assertThat(plain.deserialize("rt-named", bytes)).isEqualTo(SampleRecords.click(2));
    plain.close();
  }

  @Test
  void genericSerdeWithAReaderSchemaProjects() {
    Schema projection = new Schema.Parser().parse("""
        {"type": "record", "name": "Click", "namespace": "io.segmenter.testing.avro", "fields": [
          {"name": "customerId", "type": "string"},
          {"name": "campaign", "type": "string", "default": "none"}]}""");
    try (SpecificAvroSerde<Click> specific = new SpecificAvroSerde<>(Click.class, REGISTRY.client());
         GenericAvroSerde generic = new GenericAvroSerde(REGISTRY.client(), projection)) {
      specific.configure(config(), false);
      generic.configure(config(), false);

      GenericRecord read = generic.deserializer().deserialize("rt-projection",
          specific.serializer().serialize("rt-projection", SampleRecords.click(5)));

      assertThat(read.getSchema().getFields()).hasSize(2);
      assertThat(read.get("customerId").toString()).isEqualTo("customer-5");
      assertThat(read.get("campaign").toString()).isEqualTo("none");
    }
  }
}
