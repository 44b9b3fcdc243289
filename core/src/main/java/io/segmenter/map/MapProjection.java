package io.segmenter.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The two principal axes of a model version's feature space, on which the segment map draws centres
 * and customers. The space is the one the model assigns in: the standardised feature vectors of
 * {@link io.segmenter.model.ModelSnapshot#standardise} (log1p where the features say so, then the
 * model's own means and standard deviations), with the plain Euclidean distance the model uses and
 * no further weighting. So two points far apart on the map are far apart for the model too (the
 * converse does not hold: the map drops the other twelve dimensions, and says how much it keeps in
 * the explained variances).
 *
 * <p>Principal component analysis of the covariance of the points it is fitted on (commons-math's
 * symmetric eigendecomposition), not of their correlation: the model's standardisation already
 * puts the features on one scale, and re-scaling them here would draw a different geometry from the
 * one the model sees. Each axis's sign is fixed so that its largest loading is positive, so that the
 * same data always gives the same picture.
 *
 * @param means the mean of the fitted points (the map's origin)
 * @param axes the two unit vectors, first the one of the largest variance
 * @param explained the share of the total variance along each axis, in [0, 1]
 * @param fittedOn how many points the axes were fitted on
 */
public record MapProjection(double[] means, double[][] axes, double[] explained, int fittedOn) {
  /** A feature's weight in an axis. */
  public record Loading(int feature, double weight) { }

  /**
   * The axes of {@code points} (each a standardised feature vector of one dimension). With fewer
   * than two points, or none that differ, there is no variance to explain: the axes are then the
   * first two features and both explained variances 0.
   */
  public static MapProjection fit(List<double[]> points, int dimension) {
    if (dimension < 2) throw new IllegalArgumentException("a map needs at least two features, got " + dimension);
    double[] means = new double[dimension];
    for (double[] p : points) {
      if (p.length != dimension) throw new IllegalArgumentException("expected " + dimension + " features, got " + p.length);
      for (int i = 0; i < dimension; i++) means[i] += p[i] / points.size();
    }
    double[][] fallback = {unit(dimension, 0), unit(dimension, 1)};
    if (points.size() < 2) return new MapProjection(means, fallback, new double[] {0, 0}, points.size());
    RealMatrix cov = new Covariance(new Array2DRowRealMatrix(points.toArray(double[][]::new), false)).getCovarianceMatrix();
    double trace = cov.getTrace();
    if (!(trace > 1e-12)) return new MapProjection(means, fallback, new double[] {0, 0}, points.size());
    EigenDecomposition eigen = new EigenDecomposition(cov);
    double[] values = eigen.getRealEigenvalues();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < values.length; i++) order.add(i);
    order.sort(Comparator.comparingDouble((Integer i) -> values[i]).reversed());
    double[][] axes = new double[2][];
    double[] explained = new double[2];
    for (int a = 0; a < 2; a++) {
      int i = order.get(a);
      axes[a] = positiveLargest(eigen.getEigenvector(i).toArray());
      explained[a] = Math.max(0, values[i]) / trace;
    }
    return new MapProjection(means, axes, explained, points.size());
  }

  /** The point's coordinates on the two axes: {x, y}. */
  public double[] project(double[] z) {
    double x = 0;
    double y = 0;
    for (int i = 0; i < means.length; i++) {
      double d = z[i] - means[i];
      x += d * axes[0][i];
      y += d * axes[1][i];
    }
    return new double[] {x, y};
  }

  /** The {@code n} features of largest absolute weight in axis {@code axis} (0 or 1), largest first. */
  public List<Loading> topLoadings(int axis, int n) {
    List<Loading> all = new ArrayList<>();
    for (int i = 0; i < axes[axis].length; i++) all.add(new Loading(i, axes[axis][i]));
    all.sort(Comparator.comparingDouble((Loading l) -> Math.abs(l.weight())).reversed().thenComparingInt(Loading::feature));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  private static double[] unit(int dimension, int i) {
    double[] v = new double[dimension];
    v[i] = 1;
    return v;
  }

  private static double[] positiveLargest(double[] v) {
    int largest = 0;
    for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[largest]) + 1e-12) largest = i;
    if (v[largest] < 0) for (int i = 0; i < v.length; i++) v[i] = -v[i];
    return v;
  }
}
