package io.segmenter.topology;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds a {@link LayeredStore} on top of the store another builder makes (settings go to that builder). */
final class LayeredStoreBuilder<K> implements StoreBuilder<KeyValueStore<K, byte[]>> {
  private final StoreBuilder<KeyValueStore<K, byte[]>> inner;
  private final Function<KeyValueStore<K, byte[]>, LayeredStore<K>> layer;

  LayeredStoreBuilder(StoreBuilder<KeyValueStore<K, byte[]>> inner, Function<KeyValueStore<K, byte[]>, LayeredStore<K>> layer) {
    this.inner = inner;
    this.layer = layer;
  }

  @Override
  public KeyValueStore<K, byte[]> build() {
    return layer.apply(inner.build());
  }

  @Override
  public StoreBuilder<KeyValueStore<K, byte[]>> withCachingEnabled() {
    inner.withCachingEnabled();
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, byte[]>> withCachingDisabled() {
    inner.withCachingDisabled();
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, byte[]>> withLoggingEnabled(Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, byte[]>> withLoggingDisabled() {
    inner.withLoggingDisabled();
    return this;
  }

  @Override
  public Map<String, String> logConfig() {
    return inner.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return inner.loggingEnabled();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
