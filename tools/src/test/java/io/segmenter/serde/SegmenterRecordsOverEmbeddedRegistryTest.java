package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * segmenter's own records (io.segmenter.events, io.segmenter.internal) through the serde and
 * segmenter's embedded registry over HTTP, as the service and the demo use them: each record type
 * comes back equal, and ClickEvent data from before channel and device reads into today's class.
 * The serde itself is tested in its module, with its own records and registry double.
 */
@Timeout(60)
class SegmenterRecordsOverEmbeddedRegistryTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static Map<String, Object> config() {
    return Map.of("schema.registry.url", REGISTRY.registry().url());
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
    assertThat(roundTrip(ModelVersion.class, "rt-model", TestRecords.modelVersion()))
        .isEqualTo(TestRecords.modelVersion());
  }

  @Test
  void olderClickEventDataReadsIntoTheGeneratedClass() {
    // v1 of ClickEvent: the current one without channel and device (added later with default null).
    Schema current = ClickEvent.getClassSchema();
    Schema v1 = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
        current.getFields().stream()
            .filter(f -> !f.name().equals("channel") && !f.name().equals("device"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList());
    ClickEvent click = TestRecords.click(7);
    GenericRecord old = new GenericData.Record(v1);
    v1.getFields().forEach(f -> old.put(f.name(), click.get(f.name())));
    try (GenericAvroSerde v1Writer = new GenericAvroSerde(REGISTRY.client());
         SpecificAvroSerde<ClickEvent> v2Reader = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client())) {
      v1Writer.configure(Map.of("schema.registry.url", REGISTRY.registry().url(),
          AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true), false);
      v2Reader.configure(config(), false);

      ClickEvent read = v2Reader.deserializer().deserialize("old-clicks",
          v1Writer.serializer().serialize("old-clicks", old));

      assertThat(read.getChannel()).isNull();
      assertThat(read.getDevice()).isNull();
      assertThat(read.getEventId()).isEqualTo(click.getEventId());
      assertThat(read.getPrice()).isEqualTo(click.getPrice());
      assertThat(read.getOccurredAt()).isEqualTo(click.getOccurredAt());
    }
  }
}
