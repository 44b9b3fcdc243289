package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for {@link GenericRecord}s in the Confluent wire format. Reads with the writer's schema, or
 * with the reader schema given to the constructor (writer data resolved into it). Always returns
 * GenericRecords, whatever {@code specific.avro.reader} says. Client sharing as for
 * {@link SpecificAvroSerde}.
 */
public class GenericAvroSerde implements Serde<GenericRecord> {
  private final SerdeClients clients;
  private final AvroSerializer<GenericRecord> serializer;
  private final AvroDeserializer<GenericRecord> deserializer;

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
    this.clients = new SerdeClients(client);
    this.serializer = client != null ? new AvroSerializer<>(client) : new AvroSerializer<>();
    if (readerSchema != null) {
      this.deserializer = new AvroDeserializer<>(readerSchema, client);
    } else {
      this.deserializer = client != null ? new AvroDeserializer<>(client) : new AvroDeserializer<>();
    }
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs).withSpecificAvroReader(false);
    RegistryClientHandle handle = clients.forConfig(configs);
    serializer.configure(config, isKey, handle);
    deserializer.configure(config, handle);
  }

  @Override
  public Serializer<GenericRecord> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<GenericRecord> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    clients.close();
  }
}
