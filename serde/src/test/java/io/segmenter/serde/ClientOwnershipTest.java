package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.SampleRecords;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** A client passed in belongs to the application: the serde uses it and never closes it. */
class ClientOwnershipTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://127.0.0.1:9");

  @Test
  void injectedClientSurvivesClosingEverything() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    SpecificAvroSerde<Click> specific = new SpecificAvroSerde<>(Click.class, registry);
    GenericAvroSerde generic = new GenericAvroSerde(registry);
    specific.configure(CONFIG, false);
    generic.configure(CONFIG, true);
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    AvroDeserializer<Click> deserializer = new AvroDeserializer<>(Click.class, registry);

    specific.close();
    generic.close();
    serializer.close();
    deserializer.close();

    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  void aProducerClosingTheSerializerLeavesTheSerdesDeserializerWorking() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>(Click.class, registry)) {
      serde.configure(CONFIG, false);
      byte[] bytes = serde.serializer().serialize("clicks", SampleRecords.click(1));

      serde.serializer().close(); // KafkaProducer.close() does this

      assertThat(serde.deserializer().deserialize("clicks", bytes)).isEqualTo(SampleRecords.click(1));
      assertThat(serde.serializer().serialize("clicks", SampleRecords.click(2))).isNotEmpty();
    }
    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  void serdesWithAnInjectedClientWorkBeforeConfigure() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (SpecificAvroSerde<Click> byName = new SpecificAvroSerde<>(registry);
         GenericAvroSerde generic = new GenericAvroSerde(registry)) {
      byte[] bytes = byName.serializer().serialize("clicks", SampleRecords.click(3));

      assertThat(byName.deserializer().deserialize("clicks", bytes)).isEqualTo(SampleRecords.click(3));
      GenericRecord asGeneric = generic.deserializer().deserialize("clicks", bytes);
      assertThat(asGeneric).isNotInstanceOf(Click.class);
      assertThat(asGeneric.get("eventId")).isEqualTo(SampleRecords.click(3).getEventId());
    }
  }

  @Test
  void genericSerdeStaysGenericWhateverSpecificAvroReaderSays() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    try (GenericAvroSerde generic = new GenericAvroSerde(registry)) {
      generic.configure(Map.of("schema.registry.url", "http://127.0.0.1:9",
          AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true), false);
      byte[] bytes = new AvroSerializer<Click>(registry).serialize("clicks", SampleRecords.click(3));

      assertThat(generic.deserializer().deserialize("clicks", bytes)).isNotInstanceOf(Click.class);
    }
  }
}
