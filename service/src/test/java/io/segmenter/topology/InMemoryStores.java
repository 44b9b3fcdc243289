package io.segmenter.topology;

import java.lang.reflect.Method;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** A real in-memory key-value store of Kafka Streams, initialised in Kafka's MockProcessorContext, for one wrapper's test. */
final class InMemoryStores {
  private InMemoryStores() { }

  static <K, V> KeyValueStore<K, V> keyValue(String name, Serde<K> keys, Serde<V> values) {
    KeyValueStore<K, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
        .withLoggingDisabled().build();
    s.init(context(name), s);
    return s;
  }

  /** A store context of Kafka's MockProcessorContext, to initialise a store again. */
  static StateStoreContext context(String name) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, name + "-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return new MockProcessorContext<String, Object>(props).getStateStoreContext();
  }

  /**
   * {@code store} as Kafka Streams hands it to a processor: {@code ProcessorContextImpl.getStateStore}
   * wraps every store in a decorator, whose factory is package-private in 4.3.1 (called by reflection).
   */
  static StateStore decorated(StateStore store) throws ReflectiveOperationException {
    Method wrap = Class.forName("org.apache.kafka.streams.processor.internals.AbstractReadWriteDecorator")
        .getDeclaredMethod("wrapWithReadWriteStore", StateStore.class);
    wrap.setAccessible(true);
    return (StateStore) wrap.invoke(null, store);
  }
}
