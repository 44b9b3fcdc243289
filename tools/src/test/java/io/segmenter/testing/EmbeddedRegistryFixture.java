package io.segmenter.testing;

import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.serde.registry.RegistryFixture;

/**
 * segmenter's embedded registry (BACKWARD, as Confluent's default) on a free loopback port and a real
 * client for it, for one test class:
 * {@code @RegisterExtension static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();}
 */
public final class EmbeddedRegistryFixture extends RegistryFixture<EmbeddedSchemaRegistry> {
  public EmbeddedRegistryFixture() {
    super(EmbeddedSchemaRegistry::start, EmbeddedSchemaRegistry::url);
  }
}
