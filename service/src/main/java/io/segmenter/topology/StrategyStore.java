package io.segmenter.topology;

import io.segmenter.strategy.CustomerStrategies;
import io.segmenter.strategy.CustomerStrategiesCodec;
import java.util.Arrays;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategy-assignments store: per customer, the challengers' segments, which strategy the
 * profile's segment belongs to, and the outcome window ({@link CustomerStrategies}). Written only
 * when that changes (a challenger moves the customer, an order in the window, a window closes), in
 * the same step as the rest: one store beside the profile, not a copy of it.
 */
final class StrategyStore {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyStore.class);
  private final KeyValueStore<String, byte[]> store;
  private final StoreWriteHook hook;

  StrategyStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook) {
    this.store = store;
    this.hook = hook;
  }

  byte[] read(String customerId) {
    return store.get(customerId);
  }

  /**
   * Stored bytes this release cannot read start the customer's strategy state again rather than fail
   * the step: it is bookkeeping of the comparison, and must not stop the customer's segmentation.
   */
  CustomerStrategies decode(byte[] bytes) {
    if (bytes == null) return new CustomerStrategies();
    try {
      return CustomerStrategiesCodec.decode(bytes);
    } catch (IllegalArgumentException e) {
      LOG.warn("a stored strategy state could not be read and starts again: {}", e.getMessage());
      return new CustomerStrategies();
    }
  }

  void writeIfChanged(String customerId, CustomerStrategies state, byte[] before) {
    byte[] after = CustomerStrategiesCodec.encode(state);
    if (Arrays.equals(after, before)) return;
    hook.beforeWrite(SegmenterTopology.STRATEGY_STORE, "put");
    store.put(customerId, after);
  }

  void forget(String customerId) {
    if (store.get(customerId) == null) return;
    hook.beforeWrite(SegmenterTopology.STRATEGY_STORE, "delete");
    store.delete(customerId);
  }
}
