package io.segmenter.topology;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds a {@link WriteBehindStore} on top of the store another builder makes (settings go to that builder). */
final class WriteBehindStoreBuilder<T> implements StoreBuilder<KeyValueStore<String, byte[]>> {
  private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
  private final Function<T, byte[]> encoder;
  private final int maxPending;

  WriteBehindStoreBuilder(StoreBuilder<KeyValueStore<String, byte[]>> inner, Function<T, byte[]> encoder, int maxPending) {
    this.inner = inner;
    this.encoder = encoder;
    this.maxPending = maxPending;
  }

  @Override
  public KeyValueStore<String, byte[]> build() {
    return new WriteBehindStore<>(inner.build(), encoder, maxPending);
  }

  @Override
  public StoreBuilder<KeyValueStore<String, byte[]>> withCachingEnabled() {
    inner.withCachingEnabled();
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<String, byte[]>> withCachingDisabled() {
    inner.withCachingDisabled();
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingEnabled(Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<String, byte[]>> withLoggingDisabled() {
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
