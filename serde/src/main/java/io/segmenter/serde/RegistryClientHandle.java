package io.segmenter.serde;

import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Map;

/**
 * A registry client together with whether its holder must close it: clients passed in by the
 * application are shared and stay open; clients made from the Kafka configuration are closed by
 * whoever made them.
 */
final class RegistryClientHandle {
  private final SchemaRegistryClient client;
  private final boolean owned;

  private RegistryClientHandle(SchemaRegistryClient client, boolean owned) {
    this.client = client;
    this.owned = owned;
  }

  static RegistryClientHandle shared(SchemaRegistryClient client) {
    if (client == null) {
      throw new NullPointerException("client");
    }
    return new RegistryClientHandle(client, false);
  }

  /** A new client from {@code schema.registry.url} etc.; ConfigException naming the key if invalid. */
  static RegistryClientHandle fromConfig(Map<String, ?> configs) {
    return new RegistryClientHandle(CachedSchemaRegistryClient.fromProperties(configs), true);
  }

  SchemaRegistryClient client() {
    return client;
  }

  /** Closes the client only if this handle made it. */
  void release() {
    if (owned) {
      client.close();
    }
  }
}
