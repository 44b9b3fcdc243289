package io.segmenter.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The model's customer panel: the latest point of each of the {@code capacity} customers with the
 * smallest {@link CustomerKey}s seen so far (a bottom-k sample). It is the sample the periodic
 * refresh clusters, the number of segments is chosen on, and the explanation tree is fitted to.
 *
 * <p>Why not a reservoir of recent points: which points a reservoir keeps depends on the order they
 * arrive in, hence on how the deltas of the tasks interleave, hence on the wall clock; the panel
 * depends only on which customers exist and on their latest points. Two deployments fed the same
 * data therefore cluster the same customers, which is what makes their segmentations agree. And a
 * customer counts once, however active.
 *
 * <p>With fewer customers than the capacity it holds every customer. It also estimates how many
 * customers there are: the k-minimum-values estimate {@code (k - 1) / (largest key / 2^63)} once
 * full (Bar-Yossef et al. 2002; relative error about {@code 1 / sqrt(k)}).
 */
public final class CustomerPanel {
  private final int capacity;
  private final TreeMap<Long, PanelPoint> points = new TreeMap<>();
  private final List<Long> changed = new ArrayList<>();

  public CustomerPanel(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("panel capacity must be >= 1: " + capacity);
    this.capacity = capacity;
  }

  /** Keeps {@code p} if its customer is in the panel (or now enters it) and {@code p} is not older. */
  public void offer(PanelPoint p) {
    PanelPoint had = points.get(p.key());
    if (had != null) {
      if (p.at() < had.at()) return;
      points.put(p.key(), p);
      changed.add(p.key());
      return;
    }
    if (points.size() >= capacity) {
      long largest = points.lastKey();
      if (p.key() > largest) return;
      points.remove(largest);
      changed.add(largest);
    }
    points.put(p.key(), p);
    changed.add(p.key());
  }

  public void offerAll(Collection<PanelPoint> ps) {
    for (PanelPoint p : ps) offer(p);
  }

  /** Forgets a customer (erasure). */
  public void remove(long key) {
    if (points.remove(key) != null) changed.add(key);
  }

  /** Restores a stored point without marking it changed. */
  public void restore(PanelPoint p) {
    points.put(p.key(), p);
    while (points.size() > capacity) points.remove(points.lastKey());
  }

  /** Keys added, replaced or removed since the last call: what the caller must write back. */
  public List<Long> drainChanged() {
    List<Long> out = List.copyOf(changed);
    changed.clear();
    return out;
  }

  /** The point of {@code key}, or null. */
  public PanelPoint get(long key) {
    return points.get(key);
  }

  /** The points, by key. */
  public List<PanelPoint> points() {
    return List.copyOf(points.values());
  }

  public int size() {
    return points.size();
  }

  public int capacity() {
    return capacity;
  }

  /** Estimated number of distinct customers behind the panel (exact while it is not full). */
  public long estimatedCustomers() {
    if (points.size() < capacity) return points.size();
    double fraction = (double) points.lastKey() / Long.MAX_VALUE;
    return fraction > 0 ? Math.round((capacity - 1) / fraction) : capacity;
  }
}
