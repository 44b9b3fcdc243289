package io.segmenter.topology;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.KeyValueStoreBuilder;

/**
 * Kafka Streams' own key-value store builder (what {@code Stores.keyValueStoreBuilder} returns: its
 * caching and logging settings, its metered store) with a {@link LayeredStore} on top of what it
 * builds. Like {@link LayeredStore}, it extends an internal class of Kafka Streams (4.3.1, pinned).
 */
final class LayeredStoreBuilder<K> extends KeyValueStoreBuilder<K, byte[]> {
  private final Function<KeyValueStore<K, byte[]>, LayeredStore<K>> layer;

  LayeredStoreBuilder(KeyValueBytesStoreSupplier supplier, Serde<K> keys,
      Function<KeyValueStore<K, byte[]>, LayeredStore<K>> layer) {
    super(supplier, keys, Serdes.ByteArray(), Time.SYSTEM);
    this.layer = layer;
  }

  @Override
  public KeyValueStore<K, byte[]> build() {
    return layer.apply(super.build());
  }
}
