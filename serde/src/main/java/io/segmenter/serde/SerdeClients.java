package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Map;

/**
 * The one registry client a serde's serializer and deserializer share. Both get it as a shared
 * handle, so a Kafka client closing one of them (producers and consumers close their serializers)
 * cannot close it under the other; the serde closes it if it created it.
 */
final class SerdeClients {
  private final SchemaRegistryClient injected;
  private RegistryClientHandle created;

  SerdeClients(SchemaRegistryClient injected) {
    this.injected = injected;
  }

  /** The handle to give serializer and deserializer for this configuration. */
  synchronized RegistryClientHandle forConfig(Map<String, ?> configs) {
    if (injected != null) {
      return RegistryClientHandle.shared(injected);
    }
    RegistryClientHandle fresh = RegistryClientHandle.fromConfig(configs);
    if (created != null) {
      created.release(); // configured again: the previous client is no longer used
    }
    created = fresh;
    return RegistryClientHandle.shared(fresh.client());
  }

  synchronized void close() {
    if (created != null) {
      created.release();
      created = null;
    }
  }
}
