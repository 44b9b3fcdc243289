package io.segmenter.topology;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store of encoded values (String keys) with one layer on top of what Kafka Streams builds
 * (metered, cached, logged RocksDB): a value the task changes many times between two commits is
 * kept as the object it is, and encoded and written once, when Kafka Streams flushes the store's
 * cache before it commits ({@link #flushCache}). A customer's profile changes at every event and
 * every re-evaluation; encoding a few kB at each of them was a sixth of the stream thread's time,
 * while the cache below kept only the last encoding of each commit interval anyway.
 *
 * <p>Why exactly-once holds: Kafka Streams commits a task only after flushing its stores' caches
 * ({@code StreamTask.prepareCommit} then {@code ProcessorStateManager.flushCache}), so every value
 * waiting here is in the cache, the changelog and the transaction by the time the offsets of the
 * steps that changed it are committed. A step that fails fails the task: Kafka Streams flushes the
 * caches of a task it closes dirty too ({@code TaskManager.closeTaskDirty}), so what waited (the
 * object the failed step was changing among it) reaches the changelog, but in the transaction it
 * then aborts, and the state directory of the task is wiped and restored. Dropping what waits in
 * {@link #close}, {@link #clearCache} and {@link #init} is a safety net. Under at-least-once there is
 * no abort and no wipe, so the topology uses this layer only under exactly-once
 * ({@link SegmenterTopology}): there the flush of a failed task would write the
 * profile of the step that failed, changed in place, with its event's de-duplication id, and the
 * event would be skipped when processed again.
 *
 * <p>What a reader sees: the task's own reads must ask {@link #pending} first (the store below holds
 * the value of the last flush); interactive queries, on other threads, read only the store below
 * (get and ranges are {@link LayeredStore}'s), so they see what the last flush wrote, about one
 * commit interval old, never a value a step is still changing. At most {@code maxPending} values
 * wait; past that the one written longest ago is written at once, so memory stays bounded however
 * far apart commits are. {@code maxPending} 0 writes every value at once. The values that wait are
 * not counted in {@code statestore.cache.max.bytes}.
 *
 * @param <T> the decoded value; changed by the task's thread only
 */
final class WriteBehindStore<T> extends LayeredStore<String> {
  private final Function<T, byte[]> encoder;
  private final int maxPending;
  /** Insertion order: the one written longest ago goes first when full, and a flush writes in a stable order. */
  private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();

  WriteBehindStore(KeyValueStore<String, byte[]> inner, Function<T, byte[]> encoder, int maxPending) {
    super(inner);
    this.encoder = encoder;
    this.maxPending = maxPending;
  }

  /**
   * The write-behind layer of a store a processor got from its context, or null when the store has
   * none (then write through).
   */
  @SuppressWarnings("unchecked")
  static <T> WriteBehindStore<T> of(StateStore store) {
    return LayeredStore.find(store, WriteBehindStore.class);
  }

  /** Stores {@code value} under {@code key}: now in memory, encoded and written at the next commit. */
  void putLater(String key, T value) {
    // Removed first so that a value written again moves to the end: the eldest is the one written longest ago.
    pending.remove(key);
    pending.put(key, value);
    if (pending.size() > maxPending) {
      Iterator<Map.Entry<String, T>> eldest = pending.entrySet().iterator();
      Map.Entry<String, T> e = eldest.next();
      eldest.remove();
      wrapped().put(e.getKey(), encoder.apply(e.getValue()));
    }
  }

  /** The value stored under {@code key} since the last commit, or null when the store below has the latest. */
  T pending(String key) {
    return pending.get(key);
  }

  /** At most this many values wait (then the one written longest ago is written at once). */
  int maxPending() {
    return maxPending;
  }

  /** How many values wait for the next commit. */
  int pendingCount() {
    return pending.size();
  }

  /** Writes the values that wait, before the cache below flushes: Kafka Streams does this before every commit. */
  @Override
  protected void beforeFlush() {
    for (Map.Entry<String, T> e : pending.entrySet()) wrapped().put(e.getKey(), encoder.apply(e.getValue()));
    pending.clear();
  }

  @Override
  protected void drop() {
    pending.clear();
  }

  // Writes of encoded values replace what waits for the key; reads are the store below's (LayeredStore).

  @Override
  public void put(String key, byte[] value) {
    pending.remove(key);
    wrapped().put(key, value);
  }

  @Override
  public byte[] putIfAbsent(String key, byte[] value) {
    T waiting = pending.get(key);
    if (waiting != null) return encoder.apply(waiting);
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<String, byte[]>> entries) {
    for (KeyValue<String, byte[]> e : entries) pending.remove(e.key);
    wrapped().putAll(entries);
  }

  @Override
  public byte[] delete(String key) {
    T waiting = pending.remove(key);
    byte[] old = wrapped().delete(key);
    return waiting != null ? encoder.apply(waiting) : old;
  }
}
