package io.segmenter.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The time-ordered index of customers' next re-evaluations ({@link DueIndex} keys): the punctuator
 * takes the entries due by now, oldest first, without reading anyone else.
 *
 * <p>Under exactly-once, new bookings wait here until Kafka Streams flushes the store before its
 * next commit ({@link FlushHookStore}), and the scans see them as if they were stored. A check booked
 * and taken (or cancelled) before that flush then never reaches the store: no put and no delete
 * through the store's layers, and no put and tombstone in its changelog (Kafka Streams' record cache
 * writes a tombstone even for a key it never stored). In a replay of history a commit interval holds
 * days of event time, so most daily checks are booked and taken within one (they were 39 of 50
 * changelog records per order replaying Online Retail II). What the changelog holds at each commit
 * is what it held before, less those pairs. A task that fails is flushed too as Kafka Streams closes
 * it, into the transaction it then aborts; the drop at close and init is a safety net. Not under
 * at-least-once: there the record cache may evict a profile (with its event's de-duplication id) to
 * the changelog before the commit, while the booking of the same step would wait; a crash between
 * the two would lose that re-check for good. At most {@value #MAX_HELD} bookings wait; past that they
 * are written at once. Without the hook every booking is written at once.
 */
final class InactivityIndex implements FlushHookStore.Listener {
  /** About 100 B each: a model version can book a whole segment's members at once. */
  static final int MAX_HELD = 20_000;
  private static final byte[] EMPTY = new byte[0];
  private final KeyValueStore<Bytes, byte[]> store;
  /** Where held bookings are written: the store below the hook (null without one: write through). */
  private final KeyValueStore<Bytes, byte[]> below;
  private final StoreWriteHook hook;
  /** Bookings not written yet, of keys the store does not hold. */
  private final TreeSet<Bytes> held = new TreeSet<>();
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
    FlushHookStore<Bytes> flushes = FlushHookStore.of(store);
    this.below = flushes == null ? null : flushes.wrapped();
    if (flushes != null) flushes.listen(this);
  }

  void book(long dueAt, String customerId) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "book");
    Bytes key = DueIndex.key(dueAt, customerId);
    if (below == null) {
      store.put(key, EMPTY);
    } else if (!held.contains(key) && store.get(key) == null) {
      held.add(key);
      if (held.size() > MAX_HELD) beforeFlush();
    }
    scanFrom = Math.min(scanFrom, Math.max(0, dueAt));
  }

  void cancel(long dueAt, String customerId) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "cancel");
    delete(DueIndex.key(dueAt, customerId));
  }

  /** Removes an entry the punctuator took. */
  void remove(Bytes key) {
    hook.beforeWrite(SegmenterTopology.DUE_STORE, "remove");
    delete(key);
  }

  private void delete(Bytes key) {
    if (!held.remove(key)) store.delete(key);
  }

  /** Writes the held bookings: Kafka Streams flushes the store, before it commits. */
  @Override
  public void beforeFlush() {
    for (Bytes key : held) below.put(key, EMPTY);
    held.clear();
  }

  /** The task's state goes (a failed or closed task): the held bookings with it. */
  @Override
  public void drop() {
    held.clear();
  }

  /** How many bookings wait for the flush. */
  int heldCount() {
    return held.size();
  }

  /**
   * The entries due at or before {@code now}, oldest first, at most {@code max}; the next call
   * starts after them. The caller removes each once its customer is re-evaluated. Re-bookings made
   * meanwhile are all later than now, so they cannot fall under the new start.
   */
  List<Bytes> takeDue(long now, int max) {
    if (scanFrom > now) return List.of();
    // Collect first, then let the caller modify: the store is not changed under an open iterator.
    // The stored entries and the held ones, merged in key order; at most max of each can be among the first max.
    TreeSet<Bytes> due = new TreeSet<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(DueIndex.lowerBound(scanFrom), DueIndex.upperBound(now))) {
      while (it.hasNext() && due.size() < max) due.add(it.next().key);
    }
    for (Bytes key : held.subSet(DueIndex.lowerBound(scanFrom), true, DueIndex.upperBound(now), true)) {
      if (due.size() >= max && key.compareTo(due.last()) > 0) break; // the held keys come in order: none later fits
      due.add(key);
      if (due.size() > max) due.pollLast();
    }
    List<Bytes> keys = new ArrayList<>(due);
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
    for (Bytes key : held.subSet(DueIndex.lowerBound(scanFrom), true, DueIndex.upperBound(now), true)) {
      if (DueIndex.customerId(key).equals(customerId) && !mine.contains(key)) mine.add(key);
    }
    for (Bytes key : mine) remove(key);
  }
}
