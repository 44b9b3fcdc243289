package io.segmenter.serde;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A small copy-on-write map from int keys (schema ids) to values. Reads are a volatile read and a
 * binary search: no boxing of the id, no lock. Writes copy the table; a deserializer sees a handful
 * of ids, so they are rare. Bounded: past {@code maxSize} entries, values are computed and not kept.
 */
final class IntKeyedCache<V> {
  private static final int[] NO_KEYS = new int[0];
  private static final Object[] NO_VALUES = new Object[0];

  private final int maxSize;
  private volatile Table table = new Table(NO_KEYS, NO_VALUES);

  IntKeyedCache(int maxSize) {
    this.maxSize = maxSize;
  }

  @SuppressWarnings("unchecked")
  V get(int key) {
    Table t = table;
    int i = Arrays.binarySearch(t.keys, key);
    return i >= 0 ? (V) t.values[i] : null;
  }

  /**
   * The cached value, or one computed now. The computation runs outside the lock (it may call the
   * registry): two threads missing at once both compute, and the first to store wins.
   */
  V computeIfAbsent(int key, IntFunction<V> compute) {
    V value = get(key);
    if (value != null) {
      return value;
    }
    V computed = compute.apply(key);
    synchronized (this) {
      Table t = table;
      int i = Arrays.binarySearch(t.keys, key);
      if (i >= 0) {
        @SuppressWarnings("unchecked")
        V existing = (V) t.values[i];
        return existing;
      }
      if (t.keys.length >= maxSize) {
        return computed;
      }
      int at = -i - 1;
      int[] keys = new int[t.keys.length + 1];
      Object[] values = new Object[keys.length];
      System.arraycopy(t.keys, 0, keys, 0, at);
      System.arraycopy(t.values, 0, values, 0, at);
      keys[at] = key;
      values[at] = computed;
      System.arraycopy(t.keys, at, keys, at + 1, t.keys.length - at);
      System.arraycopy(t.values, at, values, at + 1, t.values.length - at);
      table = new Table(keys, values);
      return computed;
    }
  }

  private static final class Table {
    final int[] keys;
    final Object[] values;

    Table(int[] keys, Object[] values) {
      this.keys = keys;
      this.values = values;
    }
  }
}
