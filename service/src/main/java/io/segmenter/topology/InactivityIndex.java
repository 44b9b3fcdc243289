package io.segmenter.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The time-ordered index of customers' next re-evaluations ({@link DueIndex} keys): the punctuator
 * takes the entries due by now, oldest first, without reading anyone else.
 */
final class InactivityIndex {
  private final KeyValueStore<Bytes, byte[]> store;
  private final StoreWriteHook hook;
  /**
   * Where the next scan starts: every entry below it has been taken. Deleted entries stay in RocksDB
   * as tombstones until compaction, and a scan from key 0 would step over all of them every tick
   * (the cost grew with the length of the run). In memory only: after a restart the first scan
   * starts from 0.
   */
  private long scanFrom = 0;

  InactivityIndex(KeyValueStore<Bytes, byte[]> store, StoreWriteHook hook) {
    this.store = store;
    this.hook = hook;
  }

  void book(long dueAt, String customerId) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "book");
    store.put(DueIndex.key(dueAt, customerId), new byte[0]);
    scanFrom = Math.min(scanFrom, Math.max(0, dueAt));
  }

  void cancel(long dueAt, String customerId) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "cancel");
    store.delete(DueIndex.key(dueAt, customerId));
  }

  /** Removes an entry the punctuator took. */
  void remove(Bytes key) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "remove");
    store.delete(key);
  }

  /**
   * The entries due at or before {@code now}, oldest first, at most {@code max}; the next call
   * starts after them. The caller removes each once its customer is re-evaluated. Re-bookings made
   * meanwhile are all later than now, so they cannot fall under the new start.
   */
  List<Bytes> takeDue(long now, int max) {
    if (scanFrom > now) return List.of();
    List<Bytes> keys = new ArrayList<>();
    // Collect first, then let the caller modify: the store is not changed under an open iterator.
    try (KeyValueIterator<Bytes, byte[]> it = store.range(DueIndex.lowerBound(scanFrom), DueIndex.upperBound(now))) {
      while (it.hasNext() && keys.size() < max) keys.add(it.next().key);
    }
    // Everything due is collected, or the tick is full and the rest starts at the last time taken.
    scanFrom = keys.size() < max ? now + 1 : DueIndex.dueAt(keys.get(keys.size() - 1));
    return keys;
  }

  /**
   * Removes the customer's entries due between the scan start and {@code now}: the extra
   * re-evaluations a new model version booked, which the profile does not record (erasure).
   */
  void eraseDueBy(String customerId, long now) {
    List<Bytes> mine = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(DueIndex.lowerBound(scanFrom), DueIndex.upperBound(now))) {
      while (it.hasNext()) {
        Bytes key = it.next().key;
        if (DueIndex.customerId(key).equals(customerId)) mine.add(key);
      }
    }
    for (Bytes key : mine) remove(key);
  }
}
