package io.segmenter.clv;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A bounded, uniform sample of the repeat-purchase summaries the tasks send (reservoir sampling,
 * Vitter's algorithm R), the training set of the BG/NBD and Gamma-Gamma fit. Deterministic: which
 * slot the i-th summary takes is a function of the seed and i only ({@link ReservoirSlots}, not a
 * random generator's state), so a replay of the same deltas gives the same reservoir, and the
 * reservoir restored from its slots continues exactly where it stopped.
 *
 * <p>Every summary is a customer at some evaluation, without id; a customer re-evaluated often
 * appears several times at different ages. The likelihood of each summary is conditional on its age
 * T, so this weights customers by how long they have been watched without biasing the parameters.
 */
public final class SummaryReservoir {
  private final CustomerSummary[] slots;
  private final long seed;
  private long seen;
  private int size;
  private final BitSet changed = new BitSet();

  public SummaryReservoir(int capacity, long seed) {
    if (capacity < 1) throw new IllegalArgumentException("reservoir capacity must be >= 1: " + capacity);
    this.slots = new CustomerSummary[capacity];
    this.seed = seed;
  }

  /** Offers the next summary of the stream. */
  public void offer(CustomerSummary s) {
    long i = seen++;
    if (i < slots.length) {
      put((int) i, s);
      return;
    }
    long j = ReservoirSlots.slot(seed, i);
    if (j < slots.length) put((int) j, s);
  }

  private void put(int slot, CustomerSummary s) {
    if (slots[slot] == null) size++;
    slots[slot] = s;
    changed.set(slot);
  }

  /** Summaries offered so far (kept or not). */
  public long seen() {
    return seen;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return slots.length;
  }

  /** The sample, in slot order. */
  public List<CustomerSummary> contents() {
    List<CustomerSummary> out = new ArrayList<>(size);
    for (CustomerSummary s : slots) {
      if (s != null) out.add(s);
    }
    return out;
  }

  public CustomerSummary slot(int i) {
    return slots[i];
  }

  /** Slots written since the last call (for a store that keeps one entry per slot); clears the set. */
  public int[] drainChanged() {
    int[] out = changed.stream().toArray();
    changed.clear();
    return out;
  }

  /** Restores a saved state: the count offered, then each saved slot (not reported as changed). */
  public void restore(long seenCount, int slot, CustomerSummary s) {
    seen = seenCount;
    if (slot >= 0 && slot < slots.length && s != null) {
      if (slots[slot] == null) size++;
      slots[slot] = s;
    }
  }
}
