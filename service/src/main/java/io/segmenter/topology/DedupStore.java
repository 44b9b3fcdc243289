package io.segmenter.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ids of recent events and orders ({@link DedupKeys}) with their event times, to drop retried
 * duplicates. A retry is the same event again, so it carries the same id AND the same occurredAt.
 * Entries older than the TTL are pruned one customer at a time, at the customer's re-evaluation,
 * which the inactivity index brings round at least every recheck interval: no id lives much longer
 * than the TTL, and there is never a scan of the store.
 */
final class DedupStore {
  private final KeyValueStore<String, Long> store;
  private final StoreWriteHook hook;

  DedupStore(KeyValueStore<String, Long> store, StoreWriteHook hook) {
    this.store = store;
    this.hook = hook;
  }

  boolean isDuplicate(String id, long eventTime) {
    Long seen = store.get(id);
    return seen != null && seen == eventTime;
  }

  void record(String id, long eventTime) {
    hook.beforeWrite(SegmenterTopology.DEDUP_STORE, "put");
    store.put(id, eventTime);
  }

  /** Deletes the customer's entries whose event time is before {@code expiredBefore}. */
  void prune(String customerId, long expiredBefore) {
    deleteAll(customerId, expiredBefore);
  }

  /** Deletes every entry of the customer (erasure). */
  void erase(String customerId) {
    deleteAll(customerId, Long.MAX_VALUE);
  }

  private void deleteAll(String customerId, long before) {
    List<String> doomed = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.range(DedupKeys.from(customerId), DedupKeys.to(customerId))) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        if (kv.value < before) doomed.add(kv.key);
      }
    }
    for (String key : doomed) {
      hook.beforeWrite(SegmenterTopology.DEDUP_STORE, "delete");
      store.delete(key);
    }
  }
}
