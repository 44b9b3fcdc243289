package io.segmenter.profile;

import java.util.Arrays;

/**
 * The customer's recently processed events, to drop retried duplicates: per event a 64-bit hash of
 * its id (a click's event id, an order's id and status) and its event time. A retry is the same
 * event again, so it carries the same id AND the same time; both must match.
 *
 * <p>It lives in the profile, which every event writes anyway: remembering an id costs no store
 * record of its own, and forgetting it no delete (a separate de-duplication store used to write
 * about two changelog records per event). Entries are kept sorted by (time, hash), so that two
 * profiles that saw the same events hold equal sets whatever the order of arrival.
 *
 * <p>Bounded twice: an entry is forgotten once its time is more than the TTL behind the
 * customer's "now" ({@link #forgetBefore}), and at most {@code capacity} entries are kept (the
 * oldest goes first), so that a customer with a burst of events does not grow the profile without
 * limit. A retry of a forgotten event is processed again; {@link #add} says when the capacity, not
 * the TTL, forgot one, so that it can be counted.
 *
 * <p>False duplicates: two different events of one customer with the same event time in
 * milliseconds and the same 64-bit hash; with a well-mixed hash about 2^-64 per such pair.
 *
 * <p>Mutable, not thread-safe.
 */
public final class RecentIds {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private long[] times = new long[0];
  private long[] hashes = new long[0];

  /**
   * 64-bit FNV-1a over the id's chars, then the MurmurHash3 finaliser (FNV alone spreads the low
   * bits of similar ids poorly). Stable across JVMs and releases: it is stored.
   */
  public static long hash(String id) {
    return finish(fnv(FNV_OFFSET, id));
  }

  /**
   * The hash of the parts written one after the other, equal to {@code hash(String.join("", parts))}
   * without building that string: the hot path hashes a prefix and an event id per event.
   */
  public static long hash(String first, String... rest) {
    long h = fnv(FNV_OFFSET, first);
    for (String part : rest) h = fnv(h, part);
    return finish(h);
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= FNV_PRIME;
    }
    return h;
  }

  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb34fe1a85ec3L;
    return h ^ (h >>> 33);
  }

  /** Whether the event with this id hash and time was seen (and not forgotten yet). */
  public boolean contains(long idHash, long time) {
    return indexOf(time, idHash) >= 0;
  }

  /**
   * Remembers an event. When {@code capacity} entries are held already, the oldest is forgotten
   * first (or the new one, when it is older than all of them).
   *
   * @return whether an entry still inside its TTL had to be forgotten for lack of room
   */
  public boolean add(long idHash, long time, int capacity) {
    int i = indexOf(time, idHash);
    if (i >= 0) return false;
    insertAt(-(i + 1), time, idHash);
    // The newest `capacity` are kept: one over after a plain add (the oldest goes, the new one itself
    // when it is the oldest), more after the setting was lowered (all the surplus goes at once).
    int surplus = times.length - capacity;
    if (surplus <= 0) return false;
    times = Arrays.copyOfRange(times, surplus, times.length);
    hashes = Arrays.copyOfRange(hashes, surplus, hashes.length);
    return true;
  }

  /** Forgets the entries whose time is before {@code before} (the TTL has passed for them). */
  public void forgetBefore(long before) {
    int n = 0;
    while (n < times.length && times[n] < before) n++;
    if (n == 0) return;
    times = Arrays.copyOfRange(times, n, times.length);
    hashes = Arrays.copyOfRange(hashes, n, hashes.length);
  }

  public int size() {
    return times.length;
  }

  public long timeAt(int i) {
    return times[i];
  }

  public long hashAt(int i) {
    return hashes[i];
  }

  /**
   * Restores the entries (decoding), replacing any. The encoder writes them in order, so this is one
   * pass; entries out of order or repeated (bytes from elsewhere) are sorted and kept once.
   */
  void restore(long[] entryTimes, long[] entryHashes) {
    boolean ordered = true;
    for (int k = 1; k < entryTimes.length && ordered; k++) {
      int c = Long.compare(entryTimes[k - 1], entryTimes[k]);
      ordered = c < 0 || c == 0 && entryHashes[k - 1] < entryHashes[k];
    }
    if (ordered) {
      times = entryTimes;
      hashes = entryHashes;
      return;
    }
    times = new long[0];
    hashes = new long[0];
    for (int k = 0; k < entryTimes.length; k++) {
      int i = indexOf(entryTimes[k], entryHashes[k]);
      if (i < 0) insertAt(-(i + 1), entryTimes[k], entryHashes[k]);
    }
  }

  /** Binary search on (time, hash): the index, or -(insertion point) - 1. */
  private int indexOf(long time, long idHash) {
    int lo = 0;
    int hi = times.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = times[mid] != time ? Long.compare(times[mid], time) : Long.compare(hashes[mid], idHash);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  private void insertAt(int i, long time, long idHash) {
    long[] t = new long[times.length + 1];
    long[] h = new long[hashes.length + 1];
    System.arraycopy(times, 0, t, 0, i);
    System.arraycopy(hashes, 0, h, 0, i);
    t[i] = time;
    h[i] = idHash;
    System.arraycopy(times, i, t, i + 1, times.length - i);
    System.arraycopy(hashes, i, h, i + 1, hashes.length - i);
    times = t;
    hashes = h;
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof RecentIds r && Arrays.equals(times, r.times) && Arrays.equals(hashes, r.hashes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(times) + Arrays.hashCode(hashes);
  }
}
