package io.segmenter.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batch k-means (Lloyd) on flat arrays, for {@link KMeansModel#refine} and {@link
 * KMeansModel#inertia} and for the many seeded runs of {@link ClusterCountChoice} and {@link
 * ModelRefresh}. These run on the aggregator's stream thread, up to 50 iterations x 10 runs x 4
 * values of k; per point and iteration the generic path allocated an {@code Assignment}, took two
 * square roots and boxed a centre id into two hash maps. Here one set of arrays, made once, does all
 * iterations: centres {@code double[k*d]}, per point its nearest centre and squared distance, per
 * centre a count and coordinate sums.
 *
 * <p><b>Same results, bit for bit</b>, as the generic path (MiniBatchStatistics per iteration,
 * then a new model), because every floating-point operation is the same one in the same order: the
 * distance as in {@link FlatPoints#squaredDistance}; the nearest centre is the first in the model's
 * order (id order) at the smallest distance ({@code <}, strict); sums add the points in sample
 * order per centre, starting from 0, then divide by the count; a centre moves to that mean even
 * when equal (so a -0.0 is taken over as the generic path does) and the iteration stops when no
 * coordinate changed ({@code !=}); weights are the counts of the last assignment; inertia is the
 * square root of the squared distance, squared again, summed in sample order ({@code nearest}
 * returns the distance, and inertia squared it: {@code sqrt(x)^2} is not always x).
 *
 * <p>Not thread-safe: one kernel per thread.
 */
final class LloydKernel {
  /** Points per block of the assignment: its distances and coordinates stay in the L1 cache. */
  private static final int BLOCK = 256;
  private final FlatPoints points;
  private final int k;
  private final int dimension;
  private final double[] centres;
  /** Nearest centre of each point (index in the model's order), -1 when no distance is below infinity. */
  private final int[] labels;
  /** Squared distance of each point to its nearest centre. */
  private final double[] nearest;
  /** Squared distance of each point to the centre being compared (scratch). */
  private final double[] distance;
  private final long[] counts;
  private final double[] sums;
  /** Whether {@link #labels} and {@link #nearest} belong to the current centres. */
  private boolean assigned;

  LloydKernel(FlatPoints points, int k) {
    this.points = points;
    this.k = k;
    this.dimension = points.dimension();
    this.centres = new double[k * dimension];
    this.labels = new int[points.size()];
    this.nearest = new double[points.size()];
    this.distance = new double[points.size()];
    this.counts = new long[k];
    this.sums = new double[k * dimension];
  }

  /** Takes the model's centre positions (in its order, which is id order) as the current centres. */
  LloydKernel load(KMeansModel model) {
    List<Centre> cs = model.centres();
    if (cs.size() != k) throw new IllegalArgumentException(cs.size() + " centres for a kernel of " + k);
    if (model.dimension() != dimension) throw new IllegalArgumentException("dimension " + dimension + " != " + model.dimension());
    for (int j = 0; j < k; j++) System.arraycopy(cs.get(j).position(), 0, centres, j * dimension, dimension);
    assigned = false;
    return this;
  }

  /**
   * {@link KMeansModel#refine} of {@code start} on the kernel's points, which it equals: at most
   * {@code maxIterations} Lloyd iterations (assign, then move every centre that got points to their
   * mean), stopping early when no centre moved. The kernel keeps the result's centres (for {@link
   * #inertia()}).
   */
  KMeansModel refine(KMeansModel start, int maxIterations) {
    load(start); // also for no iterations: inertia() must then be the start's
    if (maxIterations <= 0) return start;
    boolean moved = true;
    for (int it = 0; it < maxIterations && moved; it++) {
      assign(true);
      moved = moveCentres();
    }
    // A last iteration that moved nothing left the centres its assignment was made with.
    assigned = !moved;
    List<Centre> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      Centre c = start.centres().get(j);
      out.add(new Centre(c.id(), Arrays.copyOfRange(centres, j * dimension, (j + 1) * dimension), counts[j],
          c.createdInVersion(), c.lastUpdatedInVersion(), c.replacesId()));
    }
    return new KMeansModel(start.version(), dimension, out, start.nextCentreId(), start.decayFactor());
  }

  /** Sum over the points, in order, of the squared distance to the nearest current centre (as {@link KMeansModel#inertia}). */
  double inertia() {
    if (!assigned) assign(false);
    double total = 0;
    for (int i = 0; i < nearest.length; i++) {
      double d = Math.sqrt(nearest[i]);
      total += d * d;
    }
    return total;
  }

  /** Nearest current centre of each point, as an index in the model's centre order (-1: none). */
  int[] labels() {
    if (!assigned) assign(false);
    return labels.clone();
  }

  /** Nearest centre of every point; with {@code accumulate}, also the counts and sums per centre. */
  private void assign(boolean accumulate) {
    if (accumulate) {
      Arrays.fill(counts, 0);
      Arrays.fill(sums, 0.0);
    }
    double[][] byCoordinate = points.byCoordinate();
    int n = labels.length;
    for (int from = 0; from < n; from += BLOCK) {
      int to = Math.min(n, from + BLOCK);
      Arrays.fill(nearest, from, to, Double.POSITIVE_INFINITY);
      Arrays.fill(labels, from, to, -1);
      for (int j = 0; j < k; j++) {
        // Distances of the block's points to centre j, one coordinate at a time (see addSquares).
        Arrays.fill(distance, from, to, 0.0);
        for (int t = 0; t < dimension; t++) {
          addSquares(byCoordinate[t], centres[j * dimension + t], distance, from, to);
        }
        for (int i = from; i < to; i++) {
          if (distance[i] < nearest[i]) { // strict: on a tie the earlier centre stays
            nearest[i] = distance[i];
            labels[i] = j;
          }
        }
      }
      if (accumulate) accumulate(from, to);
    }
    assigned = true;
  }

  /**
   * {@code distance[i] += (x[i] - c)^2} for i in [from, to), x being one coordinate of every point.
   * Called once per coordinate in order 0..d-1, so each point's sum is made exactly as {@link
   * FlatPoints#squaredDistance} makes it; but this loop has no dependence from one point to the
   * next, so the JIT vectorises it, where one point at a time the d dependent additions wait on each
   * other. Measured on JDK 17: about a third of the time of the unrolled point-at-a-time loop. It
   * needs one array per coordinate: with one coordinate-major array ({@code x[offset + i]}) the JIT
   * did not vectorise the loop usefully.
   */
  private static void addSquares(double[] x, double c, double[] distance, int from, int to) {
    for (int i = from; i < to; i++) {
      double y = x[i] - c;
      distance[i] += y * y;
    }
  }

  /**
   * Adds points [from, to) to the counts and coordinate sums of their centres, in sample order (the
   * blocks come in order), while the block is still in the cache.
   */
  private void accumulate(int from, int to) {
    for (int i = from; i < to; i++) {
      int best = labels[i];
      // No distance below infinity (a non-finite point): the generic path counted it under centre
      // id -1, which no centre has (ids start at 0), so it moved nothing. Nor does it here.
      if (best < 0) continue;
      counts[best]++;
      points.addTo(i, sums, best * dimension);
    }
  }

  /** Moves each centre with points to their mean; whether any coordinate changed. */
  private boolean moveCentres() {
    boolean changed = false;
    for (int j = 0; j < k; j++) {
      long n = counts[j];
      if (n == 0) continue;
      for (int t = j * dimension; t < (j + 1) * dimension; t++) {
        double p = sums[t] / n;
        if (p != centres[t]) changed = true;
        centres[t] = p;
      }
    }
    return changed;
  }
}
