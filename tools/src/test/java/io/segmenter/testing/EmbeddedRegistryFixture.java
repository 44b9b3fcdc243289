package io.segmenter.testing;

import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real embedded registry on a free loopback port and a real client for it, for one test class:
 * {@code @RegisterExtension static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();}
 */
public final class EmbeddedRegistryFixture implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = EmbeddedSchemaRegistry.start(); // BACKWARD, as Confluent's default
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  public EmbeddedSchemaRegistry registry() {
    return registry;
  }

  public SchemaRegistryClient client() {
    return client;
  }
}
