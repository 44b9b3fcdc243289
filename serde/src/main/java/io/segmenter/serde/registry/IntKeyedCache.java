package io.segmenter.serde.registry;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An insert-only map from int to value for the hottest lookup, schema id to schema: reads take no
 * lock and allocate nothing (no Integer boxing, unlike a ConcurrentHashMap<Integer, V>). The serde
 * uses it too, for its per-id decode plans.
 *
 * <p>Open addressing with linear probing in a table kept at most half full, so a probe always
 * meets an empty slot. Writers are serialized; each entry is published with a release store and
 * read with an acquire load, and a grown table is filled before it is published.
 */
public final class IntKeyedCache<V> {
  private static final int INITIAL_CAPACITY = 64;

  private static final class Entry<V> {
    final int key;
    final V value;

    Entry(int key, V value) {
      this.key = key;
      this.value = value;
    }
  }

  private volatile AtomicReferenceArray<Entry<V>> table = new AtomicReferenceArray<>(INITIAL_CAPACITY);
  private int size; // guarded by this

  public IntKeyedCache() {}

  /** The value for {@code key}, or null. */
  public V get(int key) {
    AtomicReferenceArray<Entry<V>> t = table;
    int mask = t.length() - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Entry<V> e = t.getAcquire(i);
      if (e == null) {
        return null;
      }
      if (e.key == key) {
        return e.value;
      }
    }
  }

  /** Stores {@code value} unless {@code key} has one already; returns the value now stored. */
  public synchronized V putIfAbsent(int key, V value) {
    V existing = get(key);
    if (existing != null) {
      return existing;
    }
    if (2 * (size + 1) > table.length()) {
      table = grown(table);
    }
    insert(table, new Entry<>(key, value));
    size++;
    return value;
  }

  public synchronized int size() {
    return size;
  }

  private static <V> AtomicReferenceArray<Entry<V>> grown(AtomicReferenceArray<Entry<V>> old) {
    AtomicReferenceArray<Entry<V>> bigger = new AtomicReferenceArray<>(old.length() * 2);
    for (int i = 0; i < old.length(); i++) {
      Entry<V> e = old.getPlain(i);
      if (e != null) {
        insert(bigger, e);
      }
    }
    return bigger;
  }

  private static <V> void insert(AtomicReferenceArray<Entry<V>> t, Entry<V> entry) {
    int mask = t.length() - 1;
    int i = slot(entry.key, mask);
    while (t.getPlain(i) != null) {
      i = (i + 1) & mask;
    }
    t.setRelease(i, entry);
  }

  private static int slot(int key, int mask) {
    int h = key * 0x9E3779B9; // Fibonacci hashing spreads sequential ids
    return (h ^ (h >>> 16)) & mask;
  }
}
