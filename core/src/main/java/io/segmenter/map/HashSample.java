package io.segmenter.map;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A uniform sample of at most {@code size} keys from one pass over a key set of unknown size: the
 * keys whose 64-bit hash is smallest (a bottom-k sketch). Every key is equally likely to be in it,
 * like a reservoir sample, and unlike one it is stable: the same keys give the same sample, and a
 * key stays in it from one scan to the next as long as no key of smaller hash arrives, so points on
 * the map do not jump between refreshes. The hash is salted, so which customers are shown is not
 * guessable from their ids. Not thread-safe; one per scan.
 *
 * @param <V> what is kept with each key (e.g. the stored bytes, decoded only for the keys kept)
 */
public final class HashSample<V> {
  private record Candidate<V>(long hash, String key, V value) { }

  private final int size;
  private final long salt;
  private final PriorityQueue<Candidate<V>> largestFirst =
      new PriorityQueue<>(Comparator.comparingLong((Candidate<V> c) -> c.hash()).reversed());
  private long offered;

  public HashSample(int size, long salt) {
    if (size < 0) throw new IllegalArgumentException("sample size must not be negative: " + size);
    this.size = size;
    this.salt = salt;
  }

  public void offer(String key, V value) {
    offered++;
    if (size == 0) return;
    long h = hash(key, salt);
    if (largestFirst.size() < size) {
      largestFirst.add(new Candidate<>(h, key, value));
    } else if (h < largestFirst.peek().hash()) {
      largestFirst.poll();
      largestFirst.add(new Candidate<>(h, key, value));
    }
  }

  /** Keys offered so far (the population the sample is drawn from). */
  public long offered() {
    return offered;
  }

  /** The values kept, in hash order (the same order for the same keys). */
  public List<V> values() {
    List<Candidate<V>> sorted = new ArrayList<>(largestFirst);
    sorted.sort(Comparator.comparingLong(Candidate::hash));
    List<V> out = new ArrayList<>(sorted.size());
    for (Candidate<V> c : sorted) out.add(c.value());
    return out;
  }

  /** FNV-1a over the UTF-8 bytes, then the SplitMix64 finaliser (FNV alone mixes its last bytes poorly). */
  static long hash(String key, long salt) {
    long h = 0xcbf29ce484222325L ^ salt;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
