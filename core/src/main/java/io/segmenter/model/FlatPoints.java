package io.segmenter.model;

import java.util.Arrays;
import java.util.List;

/**
 * Points of one dimension copied once into a single row-major array (point i at {@code i * dimension}).
 * Batch k-means reads every point once per Lloyd iteration: one array walked in order is what the
 * CPU's caches and prefetcher like, where a list of arrays costs a pointer chase and a bounds check
 * per point, and it can be shared by every run and every k tried on the same sample.
 */
final class FlatPoints {
  private final int size;
  private final int dimension;
  private final double[] values;
  private double[][] byCoordinate;

  private FlatPoints(int size, int dimension, double[] values) {
    this.size = size;
    this.dimension = dimension;
    this.values = values;
  }

  /**
   * @throws IllegalArgumentException when a point is not of {@code dimension} (with the message
   *     {@link KMeansModel#nearest} gives, which these points replace)
   */
  static FlatPoints of(List<double[]> points, int dimension) {
    double[] values = new double[points.size() * dimension];
    int at = 0;
    for (double[] p : points) {
      if (p.length != dimension) throw new IllegalArgumentException("dimension " + p.length + " != " + dimension);
      System.arraycopy(p, 0, values, at, dimension);
      at += dimension;
    }
    return new FlatPoints(points.size(), dimension, values);
  }

  int size() { return size; }

  int dimension() { return dimension; }

  /**
   * The same points coordinate by coordinate ({@code byCoordinate()[t][i]} is coordinate t of point
   * i), made on first use and kept: a loop over many points for one coordinate reads one array in
   * order. Not to be written.
   */
  double[][] byCoordinate() {
    if (byCoordinate == null) {
      double[][] out = new double[dimension][size];
      for (int i = 0; i < size; i++) {
        for (int t = 0; t < dimension; t++) out[t][i] = values[i * dimension + t];
      }
      byCoordinate = out;
    }
    return byCoordinate;
  }

  /** A copy of point i. */
  double[] point(int i) {
    return Arrays.copyOfRange(values, i * dimension, (i + 1) * dimension);
  }

  /**
   * Squared Euclidean distance from point i to the {@code dimension} values of {@code other} from
   * {@code from}: (point - other)^2 summed in coordinate order from 0, the very operations of
   * {@link KMeansModel#squaredDistance} and {@link KMeansModel#nearest}, so results are bit for bit
   * theirs (Java's floating point is strict: no fused multiply-add, no reordering).
   */
  double squaredDistance(int i, double[] other, int from) {
    int at = i * dimension;
    double s = 0;
    for (int t = 0; t < dimension; t++) {
      double x = values[at + t] - other[from + t];
      s += x * x;
    }
    return s;
  }

  /** Adds point i to the {@code dimension} values of {@code sums} from {@code from}. */
  void addTo(int i, double[] sums, int from) {
    int at = i * dimension;
    for (int t = 0; t < dimension; t++) sums[from + t] += values[at + t];
  }
}
