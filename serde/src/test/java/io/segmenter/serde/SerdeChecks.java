package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.registry.RegistryFixture;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks of the serde against a registry over HTTP that hold for any generated class: the serde's
 * own tests run them on its test schemas, the tools' tests on segmenter's records.
 */
public final class SerdeChecks {
  private SerdeChecks() { }

  /**
   * Writes the record, checks that the bytes carry the id of the subject's latest version, and
   * returns what reading them gives.
   */
  public static <T extends SpecificRecord> T roundTrip(RegistryFixture<?> registry, Class<T> type, String topic,
      T record) {
    try (SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry.client())) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      byte[] bytes = serde.serializer().serialize(topic, record);
      int id = registry.client().getLatestVersion(topic + "-value").id();
      assertThat(WireFormat.readSchemaId(bytes, 0, bytes.length)).isEqualTo(id);
      return serde.deserializer().deserialize(topic, bytes);
    }
  }

  /**
   * Writes the record as an older version of its schema, one without the fields {@code addedLater}
   * (which must have defaults), and reads the bytes into today's generated class.
   */
  public static <T extends SpecificRecord> T writtenByAnOlderVersion(RegistryFixture<?> registry, Class<T> type,
      String topic, T record, String... addedLater) {
    Set<String> later = Set.of(addedLater);
    Schema current = record.getSchema();
    Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
        current.getFields().stream()
            .filter(f -> !later.contains(f.name()))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList());
    GenericRecord old = new GenericData.Record(older);
    older.getFields().forEach(f -> old.put(f.name(), record.get(current.getField(f.name()).pos())));
    try (GenericAvroSerde olderWriter = new GenericAvroSerde(registry.client());
         SpecificAvroSerde<T> reader = new SpecificAvroSerde<>(type, registry.client())) {
      olderWriter.configure(Map.of("schema.registry.url", registry.url(),
          AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true), false);
      reader.configure(Map.of("schema.registry.url", registry.url()), false);
      return reader.deserializer().deserialize(topic, olderWriter.serializer().serialize(topic, old));
    }
  }
}
