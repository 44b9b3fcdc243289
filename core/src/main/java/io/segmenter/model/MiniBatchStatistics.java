package io.segmenter.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-centre count and per-feature sums of a mini-batch. Mergeable: stats of several tasks merged
 * equal the stats of the union, which is why tasks can send these instead of points.
 * A TreeMap keeps iteration in id order (floating-point determinism).
 */
public final class MiniBatchStatistics {
  private final int dimension;
  private final TreeMap<Integer, long[]> counts = new TreeMap<>();
  private final TreeMap<Integer, double[]> sums = new TreeMap<>();

  public MiniBatchStatistics(int dimension) {
    this.dimension = dimension;
  }

  /** Assigns each point to the nearest centre of the model and accumulates. */
  public static MiniBatchStatistics of(KMeansModel model, Iterable<double[]> points) {
    MiniBatchStatistics s = new MiniBatchStatistics(model.dimension());
    for (double[] p : points) s.add(model.nearest(p).centreId(), p);
    return s;
  }

  public void add(int centreId, double[] point) {
    if (point.length != dimension) throw new IllegalArgumentException("dimension " + point.length + " != " + dimension);
    counts.computeIfAbsent(centreId, k -> new long[1])[0]++;
    double[] s = sums.computeIfAbsent(centreId, k -> new double[dimension]);
    for (int i = 0; i < dimension; i++) s[i] += point[i];
  }

  /** Adds a pre-summed group of points (as received from another task). */
  public void addSum(int centreId, long count, double[] sum) {
    if (sum.length != dimension) throw new IllegalArgumentException("dimension " + sum.length + " != " + dimension);
    if (count <= 0) return;
    counts.computeIfAbsent(centreId, k -> new long[1])[0] += count;
    double[] s = sums.computeIfAbsent(centreId, k -> new double[dimension]);
    for (int i = 0; i < dimension; i++) s[i] += sum[i];
  }

  /** Total number of points over all centres. */
  public long totalCount() {
    long n = 0;
    for (long[] c : counts.values()) n += c[0];
    return n;
  }

  /** Returns a new statistics object = this union other. */
  public MiniBatchStatistics merge(MiniBatchStatistics other) {
    if (other.dimension != dimension) throw new IllegalArgumentException("dimension mismatch");
    MiniBatchStatistics r = new MiniBatchStatistics(dimension);
    for (MiniBatchStatistics src : new MiniBatchStatistics[] {this, other}) {
      for (Map.Entry<Integer, long[]> e : src.counts.entrySet()) {
        r.counts.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
        double[] s = r.sums.computeIfAbsent(e.getKey(), k -> new double[dimension]);
        double[] o = src.sums.get(e.getKey());
        for (int i = 0; i < dimension; i++) s[i] += o[i];
      }
    }
    return r;
  }

  public int dimension() { return dimension; }

  public long count(int centreId) {
    long[] c = counts.get(centreId);
    return c == null ? 0 : c[0];
  }

  /** Copy of the sums for a centre (zeros if it got no points). */
  public double[] sum(int centreId) {
    double[] s = sums.get(centreId);
    return s == null ? new double[dimension] : s.clone();
  }

  public Map<Integer, Long> counts() {
    TreeMap<Integer, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v[0]));
    return Collections.unmodifiableMap(m);
  }
}
