package io.segmenter.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the specific and generic serdes share: one serializer and one deserializer over one registry
 * client (the one given, which stays open, or one created from the configuration, which
 * {@link #close} closes). Subclasses only choose how records are read.
 */
abstract class AvroSerdeBase<T> implements Serde<T> {
  private final SerdeClients clients;
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private final boolean specificAvroReader;

  AvroSerdeBase(SerdeClients clients, AvroSerializer<T> serializer, AvroDeserializer<T> deserializer,
                boolean specificAvroReader) {
    this.clients = clients;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.specificAvroReader = specificAvroReader;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs).withSpecificAvroReader(specificAvroReader);
    RegistryClientHandle handle = clients.forConfig(configs);
    serializer.configure(config, isKey, handle);
    deserializer.configure(config, handle);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    clients.close();
  }
}
