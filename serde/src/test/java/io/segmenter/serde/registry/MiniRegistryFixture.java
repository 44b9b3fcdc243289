package io.segmenter.serde.registry;

/**
 * A {@link MiniRegistry} (BACKWARD, as Confluent's default) and a real client for it, for one test class:
 * {@code @RegisterExtension static final MiniRegistryFixture REGISTRY = new MiniRegistryFixture();}
 */
public final class MiniRegistryFixture extends RegistryFixture<MiniRegistry> {
  public MiniRegistryFixture() {
    super(MiniRegistry::start, MiniRegistry::url);
  }
}
