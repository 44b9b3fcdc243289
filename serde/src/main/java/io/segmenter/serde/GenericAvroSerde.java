package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Serde for {@link GenericRecord}s in the Confluent wire format. Reads with the writer's schema, or
 * with the reader schema given to the constructor (writer data resolved into it). Always returns
 * GenericRecords, whatever {@code specific.avro.reader} says. Client sharing as for
 * {@link SpecificAvroSerde}.
 */
public class GenericAvroSerde extends AvroSerdeBase<GenericRecord> {

  /** For Kafka configuration: the client is created in configure(). */
  public GenericAvroSerde() {
    this(null, null);
  }

  /** With a shared client (not closed by this serde). */
  public GenericAvroSerde(SchemaRegistryClient client) {
    this(Objects.requireNonNull(client, "client"), null);
  }

  /** Reading with {@code readerSchema}; the client is created in configure(). */
  public GenericAvroSerde(Schema readerSchema) {
    this(null, Objects.requireNonNull(readerSchema, "readerSchema"));
  }

  /**
   * @param client shared client, or null to create one from the configuration in configure()
   * @param readerSchema schema to read with, or null to read with the writer's schema
   */
  public GenericAvroSerde(SchemaRegistryClient client, Schema readerSchema) {
    super(new SerdeClients(client),
        client != null ? new AvroSerializer<>(client) : new AvroSerializer<>(),
        readerSchema != null
            ? new AvroDeserializer<>(readerSchema, client)
            : (client != null ? new AvroDeserializer<>(client) : new AvroDeserializer<>()),
        false);
  }
}
