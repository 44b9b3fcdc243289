package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serde for generated Avro classes in the Confluent wire format.
 *
 * <pre>{@code
 * SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class, client);
 * serde.configure(Map.of("schema.registry.url", url), false);
 * }</pre>
 *
 * <p>Given the class, it reads every compatible writer version into that class, and trusts the
 * class's packages for Avro's class check (no system property needed). The no-arg constructor
 * (for naming the serde in Kafka configuration) reads into the class named by the writer's schema,
 * whose package must then be trusted through {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Serializer and deserializer share one registry client: the one given, which stays open, or
 * one created from the configuration in {@link #configure}, which {@link #close} closes.
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends AvroSerdeBase<T> {

  /** For Kafka configuration: reads into the class named by the writer's schema; client from configure(). */
  public SpecificAvroSerde() {
    this(null, null);
  }

  /**
   * Reads into the class named by the writer's schema (whose package must be trusted through
   * {@code org.apache.avro.SERIALIZABLE_PACKAGES}) with a shared client (not closed by this serde).
   */
  public SpecificAvroSerde(SchemaRegistryClient client) {
    this(null, Objects.requireNonNull(client, "client"));
  }

  /** Reads into {@code recordClass}; the client is created from the configuration in configure(). */
  public SpecificAvroSerde(Class<T> recordClass) {
    this(Objects.requireNonNull(recordClass, "recordClass"), null);
  }

  /** Reads into {@code recordClass} with a shared client (not closed by this serde). */
  public SpecificAvroSerde(Class<T> recordClass, SchemaRegistryClient client) {
    super(new SerdeClients(client),
        client != null ? new AvroSerializer<>(client) : new AvroSerializer<>(),
        deserializer(recordClass, client),
        true);
  }

  private static <T> AvroDeserializer<T> deserializer(Class<? extends SpecificRecord> recordClass,
                                                      SchemaRegistryClient client) {
    if (recordClass != null) {
      return new AvroDeserializer<>(recordClass, client);
    }
    if (client == null) {
      return new AvroDeserializer<>();
    }
    AvroDeserializer<T> byWriterName = new AvroDeserializer<>(client);
    // Usable before configure(): reads into the class named by the writer's schema.
    byWriterName.configure(AvroSerdeConfig.defaults().withSpecificAvroReader(true), RegistryClientHandle.shared(client));
    return byWriterName;
  }
}
