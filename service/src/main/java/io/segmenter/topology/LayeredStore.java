package io.segmenter.topology;

import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.MeteredStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A layer on top of a key-value store as Kafka Streams builds it (metered, cached, logged RocksDB)
 * that passes everything to the store below; subclasses change what they need. Kafka Streams
 * registers the outermost store of a builder, so the layer is what its commit's cache flush
 * ({@link #flushCache}) and its close and init reach first.
 *
 * <p>It extends {@link WrappedStateStore}, an internal class of Kafka Streams (4.3.1, pinned in the
 * build): that is how the flush before a commit reaches a store, and there is no public hook that
 * runs before the transaction commits ({@code StateStore.commit} runs after it). The restore reader
 * records a restore time only on a metered store, so that is passed below too.
 */
abstract class LayeredStore<K> extends WrappedStateStore<KeyValueStore<K, byte[]>, K, byte[]>
    implements KeyValueStore<K, byte[]>, MeteredStateStore {

  LayeredStore(KeyValueStore<K, byte[]> inner) {
    super(inner);
  }

  /**
   * The layer of {@code type} of a store a processor got from its context (Kafka Streams hands out a
   * decorator around the store it built), or null when the store has none.
   */
  static <L extends LayeredStore<?>> L find(StateStore store, Class<L> type) {
    if (type.isInstance(store)) return type.cast(store);
    if (store instanceof WrappedStateStore<?, ?, ?> wrapped) return wrapped.findInner(type);
    return null;
  }

  /** Called when Kafka Streams flushes the store before a commit, before the store below flushes its cache. */
  protected void beforeFlush() { }

  /** Called when the task's state goes unwritten: the store is closed, initialised again or its cache cleared. */
  protected void drop() { }

  @Override
  public final void flushCache() {
    beforeFlush();
    super.flushCache();
  }

  @Override
  public final void clearCache() {
    drop();
    super.clearCache();
  }

  @Override
  public final void init(StateStoreContext context, StateStore root) {
    drop();
    super.init(context, root);
  }

  @Override
  public final void close() {
    drop();
    super.close();
  }

  @Override
  public void recordRestoreTime(long restoreTimeNs) {
    if (wrapped() instanceof MeteredStateStore metered) metered.recordRestoreTime(restoreTimeNs);
  }

  @Override
  public void put(K key, byte[] value) {
    wrapped().put(key, value);
  }

  @Override
  public byte[] putIfAbsent(K key, byte[] value) {
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<K, byte[]>> entries) {
    wrapped().putAll(entries);
  }

  @Override
  public byte[] delete(K key) {
    return wrapped().delete(key);
  }

  @Override
  public byte[] get(K key) {
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<K, byte[]> range(K from, K to) {
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<K, byte[]> reverseRange(K from, K to) {
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<K, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<K, byte[]> reverseAll() {
    return wrapped().reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<K, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }
}
