package io.segmenter.profile;

import java.util.Arrays;

/**
 * The distinct categories a customer touched, as String.hashCode values (specified by the JLS, so
 * stable across JVMs and releases), bounded to a limit.
 *
 * <p>When full, the set keeps the {@code limit} smallest hashes (a bottom-k sketch) rather than
 * the first ones seen: the kept set, and so the profile, then does not depend on event order even
 * past the limit, while {@link #size()} still saturates at the limit. Kept sorted so that equal
 * sets are equal arrays and encode identically. Mutable, not thread-safe.
 */
public final class CategorySet {
  private int[] hashes = new int[0];

  public static int hash(String category) {
    return category.hashCode();
  }

  /** Adds a category hash; returns whether the set changed. */
  public boolean add(int categoryHash, int limit) {
    int i = Arrays.binarySearch(hashes, categoryHash);
    if (i >= 0) return false;
    i = -(i + 1);
    if (hashes.length >= limit) {
      // Full: only a hash smaller than the largest kept one gets in, pushing the largest out.
      if (i >= limit) return false;
      int[] next = new int[limit];
      System.arraycopy(hashes, 0, next, 0, i);
      next[i] = categoryHash;
      System.arraycopy(hashes, i, next, i + 1, limit - i - 1);
      hashes = next;
      return true;
    }
    int[] next = new int[hashes.length + 1];
    System.arraycopy(hashes, 0, next, 0, i);
    next[i] = categoryHash;
    System.arraycopy(hashes, i, next, i + 1, hashes.length - i);
    hashes = next;
    return true;
  }

  public boolean contains(int categoryHash) {
    return Arrays.binarySearch(hashes, categoryHash) >= 0;
  }

  public int size() {
    return hashes.length;
  }

  public int hashAt(int i) {
    return hashes[i];
  }

  /** Restores the set (decoding): the hashes must be strictly increasing. */
  void restore(int[] sorted) {
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] <= sorted[i - 1]) {
        throw new IllegalArgumentException("category hashes are not strictly increasing");
      }
    }
    hashes = sorted.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CategorySet s && Arrays.equals(hashes, s.hashes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hashes);
  }
}
