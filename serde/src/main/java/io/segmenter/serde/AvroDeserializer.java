package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer reading the Confluent Avro wire format, as Confluent's KafkaAvroDeserializer
 * does. Thread-safe. A thin adapter over {@link AvroWireDecoder}.
 *
 * <p>The reader's schema is, in order: the generated class given to the constructor; else the
 * reader schema given to the constructor (GenericRecord); else, with
 * {@code specific.avro.reader=true}, the generated class named by the writer's schema; else the
 * writer's own schema (GenericRecord). Writer data is resolved into the reader's schema, so compatible schema
 * evolution is transparent.
 *
 * <p>Client ownership as for {@link AvroSerializer}.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  private final SchemaRegistryClient injectedClient;
  private final Class<? extends SpecificRecord> recordClass;
  private final Schema readerSchema;
  private RegistryClientHandle handle;
  private volatile AvroWireDecoder decoder;

  /** For Kafka configuration: the client is created in {@link #configure}. */
  public AvroDeserializer() {
    this(null, null, null);
  }

  /** Shares {@code client}, which stays open when this deserializer closes; usable at once with defaults. */
  public AvroDeserializer(SchemaRegistryClient client) {
    this(Objects.requireNonNull(client, "client"), null, null);
  }

  /**
   * Reads into {@code recordClass} (whose package becomes trusted by Avro's class check). With a
   * null client, the client is created from the configuration in {@link #configure}.
   */
  public AvroDeserializer(Class<? extends SpecificRecord> recordClass, SchemaRegistryClient client) {
    this(client, Objects.requireNonNull(recordClass, "recordClass"), null);
  }

  /**
   * Reads GenericRecords with {@code readerSchema}. With a null client, the client is created from the
   * configuration in {@link #configure}.
   */
  public AvroDeserializer(Schema readerSchema, SchemaRegistryClient client) {
    this(client, null, Objects.requireNonNull(readerSchema, "readerSchema"));
  }

  private AvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> recordClass, Schema readerSchema) {
    this.injectedClient = client;
    this.recordClass = recordClass;
    this.readerSchema = readerSchema;
    if (recordClass != null) {
      AvroClassTrust.trust(recordClass, SpecificData.getForClass(recordClass).getSchema(recordClass));
    }
    if (client != null) {
      this.handle = RegistryClientHandle.shared(client);
      this.decoder = newDecoder(client, AvroSerdeConfig.defaults());
    }
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs);
    configure(config, injectedClient != null
        ? RegistryClientHandle.shared(injectedClient) : RegistryClientHandle.fromConfig(configs));
  }

  /** Used by the serdes, which share one client between their serializer and deserializer. */
  synchronized void configure(AvroSerdeConfig config, RegistryClientHandle newHandle) {
    RegistryClientHandle previous = handle;
    handle = newHandle;
    decoder = newDecoder(newHandle.client(), config);
    if (previous != null && previous != newHandle) {
      previous.release();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    return (T) decoder().decode(data, 0, data.length);
  }

  /** Decodes a heap buffer in place instead of copying it out, as Kafka's default would. */
  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, Headers headers, ByteBuffer data) {
    if (data == null) {
      return null;
    }
    if (data.hasArray()) {
      return (T) decoder().decode(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    return Deserializer.super.deserialize(topic, headers, data);
  }

  /** Closes the registry client if this deserializer created it. */
  @Override
  public synchronized void close() {
    if (handle != null) {
      handle.release();
      handle = null;
    }
  }

  private AvroWireDecoder decoder() {
    AvroWireDecoder current = decoder;
    if (current == null) {
      throw new IllegalStateException("AvroDeserializer is not configured: call configure() (Kafka does this for "
          + "deserializers named in its configuration) or pass a SchemaRegistryClient to the constructor");
    }
    return current;
  }

  private AvroWireDecoder newDecoder(SchemaRegistryClient client, AvroSerdeConfig config) {
    return new AvroWireDecoder(client, readerSelection(config));
  }

  private ReaderSelection readerSelection(AvroSerdeConfig config) {
    if (recordClass != null) {
      return ReaderSelection.specificClass(recordClass);
    }
    if (readerSchema == null && config.specificAvroReader()) {
      return ReaderSelection.specificByWriterName();
    }
    return ReaderSelection.generic(readerSchema, AvroDataModels.generic(config.useLogicalTypeConverters()));
  }
}
