package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** A client passed in belongs to the application: the serde uses it and never closes it. */
class ClientOwnershipTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://127.0.0.1:9");

  @Test
  void injectedClientSurvivesClosingEverything() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, registry);
    GenericAvroSerde generic = new GenericAvroSerde(registry);
    specific.configure(CONFIG, false);
    generic.configure(CONFIG, true);
    AvroSerializer<ClickEvent> serializer = new AvroSerializer<>(registry);
    AvroDeserializer<ClickEvent> deserializer = new AvroDeserializer<>(ClickEvent.class, registry);

    specific.close();
    generic.close();
    serializer.close();
    deserializer.close();

    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  void aProducerClosingTheSerializerLeavesTheSerdesDeserializerWorking() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class, registry)) {
      serde.configure(CONFIG, false);
      byte[] bytes = serde.serializer().serialize("clicks", TestRecords.click(1));

      serde.serializer().close(); // KafkaProducer.close() does this

      assertThat(serde.deserializer().deserialize("clicks", bytes)).isEqualTo(TestRecords.click(1));
      assertThat(serde.serializer().serialize("clicks", TestRecords.click(2))).isNotEmpty();
    }
    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  void serdesWithAnInjectedClientWorkBeforeConfigure() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (SpecificAvroSerde<ClickEvent> byName = new SpecificAvroSerde<>(registry);
         GenericAvroSerde generic = new GenericAvroSerde(registry)) {
      byte[] bytes = byName.serializer().serialize("clicks", TestRecords.click(3));

      assertThat(byName.deserializer().deserialize("clicks", bytes)).isEqualTo(TestRecords.click(3));
      GenericRecord asGeneric = generic.deserializer().deserialize("clicks", bytes);
      assertThat(asGeneric).isNotInstanceOf(ClickEvent.class);
      assertThat(asGeneric.get("eventId")).isEqualTo(TestRecords.click(3).getEventId());
    }
  }

  @Test
  void genericSerdeStaysGenericWhateverSpecificAvroReaderSays() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (GenericAvroSerde generic = new GenericAvroSerde(registry)) {
      generic.configure(Map.of("schema.registry.url", "http://127.0.0.1:9", AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true),
          false);
      byte[] bytes = new AvroSerializer<ClickEvent>(registry).serialize("clicks", TestRecords.click(3));

      assertThat(generic.deserializer().deserialize("clicks", bytes)).isNotInstanceOf(ClickEvent.class);
    }
  }
}
