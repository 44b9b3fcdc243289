package io.segmenter.profile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last few sessions a customer was seen in, so that distinct sessions can be counted with
 * bounded memory. Each entry is (64-bit FNV-1a hash of the session id, last seen time, whether the
 * session had an add-to-cart). Entries are kept sorted by hash so that two memories holding the
 * same sessions are equal and encode to the same bytes whatever the arrival order.
 *
 * <p>Mutable, not thread-safe.
 */
public final class SessionMemory {
  /** {@link #observe} result bit: the session was not in memory and was counted as new. */
  public static final int NEW_SESSION = 1;
  /** {@link #observe} result bit: this was the session's first add-to-cart. */
  public static final int NEW_CART_SESSION = 2;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private long[] hashes = new long[0];
  private long[] lastSeen = new long[0];
  private boolean[] cart = new boolean[0];

  /** 64-bit FNV-1a over the UTF-8 bytes: stable across JVMs, unlike a seeded hash. */
  public static long hash(String sessionId) {
    long h = FNV_OFFSET;
    for (byte b : sessionId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /**
   * Records that the session was seen at atMs (with an add-to-cart when cartAdd). When the session
   * is new and memory holds capacity entries, the entry seen longest ago is evicted first; a later
   * event of the evicted session will count it again.
   *
   * @return a combination of {@link #NEW_SESSION} and {@link #NEW_CART_SESSION}
   */
  public int observe(long sessionHash, long atMs, boolean cartAdd, int capacity) {
    int i = Arrays.binarySearch(hashes, sessionHash);
    int result = 0;
    if (i < 0) {
      while (hashes.length >= capacity) removeAt(oldest());
      i = -(Arrays.binarySearch(hashes, sessionHash) + 1);
      insertAt(i, sessionHash, atMs);
      result |= NEW_SESSION;
    } else if (atMs > lastSeen[i]) {
      lastSeen[i] = atMs;
    }
    if (cartAdd && !cart[i]) {
      cart[i] = true;
      result |= NEW_CART_SESSION;
    }
    return result;
  }

  public int size() {
    return hashes.length;
  }

  public long hashAt(int i) {
    return hashes[i];
  }

  public long lastSeenAt(int i) {
    return lastSeen[i];
  }

  public boolean hadCartAdd(int i) {
    return cart[i];
  }

  /** Restores an entry (decoding); entries may come in any order. */
  void restore(long sessionHash, long lastSeenMs, boolean cartAdd) {
    int i = Arrays.binarySearch(hashes, sessionHash);
    if (i >= 0) throw new IllegalArgumentException("duplicate session hash in session memory");
    i = -(i + 1);
    insertAt(i, sessionHash, lastSeenMs);
    cart[i] = cartAdd;
  }

  // Ties on time go to the smallest hash so that eviction is deterministic.
  private int oldest() {
    int o = 0;
    for (int i = 1; i < hashes.length; i++) {
      if (lastSeen[i] < lastSeen[o]) o = i;
    }
    return o;
  }

  private void insertAt(int i, long h, long t) {
    int n = hashes.length;
    long[] nh = new long[n + 1];
    long[] nt = new long[n + 1];
    boolean[] nc = new boolean[n + 1];
    System.arraycopy(hashes, 0, nh, 0, i);
    System.arraycopy(lastSeen, 0, nt, 0, i);
    System.arraycopy(cart, 0, nc, 0, i);
    nh[i] = h;
    nt[i] = t;
    System.arraycopy(hashes, i, nh, i + 1, n - i);
    System.arraycopy(lastSeen, i, nt, i + 1, n - i);
    System.arraycopy(cart, i, nc, i + 1, n - i);
    hashes = nh;
    lastSeen = nt;
    cart = nc;
  }

  private void removeAt(int i) {
    int n = hashes.length;
    long[] nh = new long[n - 1];
    long[] nt = new long[n - 1];
    boolean[] nc = new boolean[n - 1];
    System.arraycopy(hashes, 0, nh, 0, i);
    System.arraycopy(lastSeen, 0, nt, 0, i);
    System.arraycopy(cart, 0, nc, 0, i);
    System.arraycopy(hashes, i + 1, nh, i, n - i - 1);
    System.arraycopy(lastSeen, i + 1, nt, i, n - i - 1);
    System.arraycopy(cart, i + 1, nc, i, n - i - 1);
    hashes = nh;
    lastSeen = nt;
    cart = nc;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionMemory m
        && Arrays.equals(hashes, m.hashes)
        && Arrays.equals(lastSeen, m.lastSeen)
        && Arrays.equals(cart, m.cart);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(hashes) + Arrays.hashCode(lastSeen)) + Arrays.hashCode(cart);
  }
}
