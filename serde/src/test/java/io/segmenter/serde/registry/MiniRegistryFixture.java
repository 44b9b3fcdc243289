package io.segmenter.serde.registry;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MiniRegistry} on a free loopback port and a real client for it, for one test class:
 * {@code @RegisterExtension static final MiniRegistryFixture REGISTRY = new MiniRegistryFixture();}
 */
public final class MiniRegistryFixture implements BeforeAllCallback, AfterAllCallback {
  private MiniRegistry registry;
  private SchemaRegistryClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = MiniRegistry.start(); // BACKWARD, as Confluent's default
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

  public MiniRegistry registry() {
    return registry;
  }

  public SchemaRegistryClient client() {
    return client;
  }
}
