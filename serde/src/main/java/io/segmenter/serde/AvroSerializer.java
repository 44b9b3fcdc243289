package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records (SpecificRecord or GenericRecord) in the Confluent wire
 * format, byte-compatible with Confluent's KafkaAvroSerializer. Thread-safe. A thin adapter over
 * {@link AvroWireEncoder}.
 *
 * <p>Made with a {@link SchemaRegistryClient}, it uses that client and never closes it; made with
 * the no-arg constructor (e.g. named in Kafka configuration), {@link #configure} creates a client
 * from {@code schema.registry.url} and the other registry keys, and {@link #close} closes it.
 * Settings: see {@link AvroSerdeConfig}.
 */
public class AvroSerializer<T> implements Serializer<T> {
  private final SchemaRegistryClient injectedClient;
  private RegistryClientHandle handle;
  private volatile AvroWireEncoder encoder;

  /** For Kafka configuration: the client is created in {@link #configure}. */
  public AvroSerializer() {
    this.injectedClient = null;
  }

  /**
   * Shares {@code client}, which stays open when this serializer closes. Usable at once as a value
   * serializer with default settings; {@link #configure} changes the settings.
   */
  public AvroSerializer(SchemaRegistryClient client) {
    this.handle = RegistryClientHandle.shared(client);
    this.injectedClient = client;
    this.encoder = newEncoder(client, AvroSerdeConfig.defaults(), false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs);
    configure(config, isKey, injectedClient != null
        ? RegistryClientHandle.shared(injectedClient) : RegistryClientHandle.fromConfig(configs));
  }

  /** Used by the serdes, which share one client between their serializer and deserializer. */
  synchronized void configure(AvroSerdeConfig config, boolean isKey, RegistryClientHandle newHandle) {
    RegistryClientHandle previous = handle;
    handle = newHandle;
    encoder = newEncoder(newHandle.client(), config, isKey);
    if (previous != null && previous != newHandle) {
      previous.release();
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    return encoder().encode(topic, data);
  }

  /** Closes the registry client if this serializer created it. */
  @Override
  public synchronized void close() {
    if (handle != null) {
      handle.release();
      handle = null;
    }
  }

  private AvroWireEncoder encoder() {
    AvroWireEncoder current = encoder;
    if (current == null) {
      throw new IllegalStateException("AvroSerializer is not configured: call configure() (Kafka does this for "
          + "serializers named in its configuration) or pass a SchemaRegistryClient to the constructor");
    }
    return current;
  }

  private static AvroWireEncoder newEncoder(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
    return new AvroWireEncoder(new SchemaIdResolver(client, config.idMode()), config.subjectNameStrategy(isKey),
        isKey, AvroDataModels.generic(config.useLogicalTypeConverters()));
  }
}
