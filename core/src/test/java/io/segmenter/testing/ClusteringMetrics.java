package io.segmenter.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.evaluation.ClusterEvaluator;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

/** Yardsticks for judging the online k-means model against batch k-means++. */
public final class ClusteringMetrics {
  /** Lloyd iterations per batch run; well-separated data converges in far fewer. */
  static final int MAX_ITERATIONS = 300;

  private ClusteringMetrics() {
  }

  /** A batch clustering: its centres and their inertia, as measured by {@link #inertia}. */
  public record BatchResult(List<double[]> centres, double inertia) {
  }

  /**
   * Adjusted Rand index (Hubert and Arabie 1985) of two labelings of the same points; labels are
   * arbitrary ints. 1 for identical partitions, about 0 for chance agreement, negative for worse
   * than chance.
   *
   * <p>Computed from pair counts like scikit-learn's {@code adjusted_rand_score}, including its
   * convention that two labelings with no disagreeing pair (e.g. both put everything in one cluster)
   * score 1. Counts are longs (n^2 fits for any array Java can hold); products are doubles because
   * at 100k points they reach 1e20.
   */
  public static double adjustedRandIndex(int[] labelsA, int[] labelsB) {
    if (labelsA.length != labelsB.length) {
      throw new IllegalArgumentException("labelings differ in length: " + labelsA.length + " vs " + labelsB.length);
    }
    long n = labelsA.length;
    Map<Integer, Long> sizesA = new HashMap<>();
    Map<Integer, Long> sizesB = new HashMap<>();
    Map<Long, Long> joint = new HashMap<>();
    for (int i = 0; i < labelsA.length; i++) {
      sizesA.merge(labelsA[i], 1L, Long::sum);
      sizesB.merge(labelsB[i], 1L, Long::sum);
      joint.merge(((long) labelsA[i] << 32) | (labelsB[i] & 0xffffffffL), 1L, Long::sum);
    }
    long sumSquaresJoint = sumOfSquares(joint);
    // Ordered pairs (i != j): together in both, together only in B, together only in A, apart in both.
    long togetherBoth = sumSquaresJoint - n;
    long togetherOnlyB = sumOfSquares(sizesB) - sumSquaresJoint;
    long togetherOnlyA = sumOfSquares(sizesA) - sumSquaresJoint;
    long apartBoth = n * n - togetherOnlyA - togetherOnlyB - sumSquaresJoint;
    if (togetherOnlyA == 0 && togetherOnlyB == 0) {
      return 1.0;
    }
    double tp = togetherBoth;
    double tn = apartBoth;
    double fp = togetherOnlyB;
    double fn = togetherOnlyA;
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
  }

  private static long sumOfSquares(Map<?, Long> counts) {
    long sum = 0;
    for (long c : counts.values()) sum += c * c;
    return sum;
  }

  /** Sum over points of the squared Euclidean distance to the nearest centre. */
  public static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  public static double inertia(List<double[]> points, List<double[]> centres) {
    if (centres.isEmpty()) throw new IllegalArgumentException("no centres");
    int dimension = centres.get(0).length;
    double total = 0;
    for (double[] p : points) {
      if (p.length != dimension) throw new IllegalArgumentException("point dimension " + p.length + " != " + dimension);
      double best = Double.POSITIVE_INFINITY;
      for (double[] c : centres) {
        if (c.length != dimension) throw new IllegalArgumentException("centre dimension " + c.length + " != " + dimension);
        double d2 = 0;
        for (int i = 0; i < dimension; i++) {
          double diff = p[i] - c[i];
          d2 += diff * diff;
        }
        best = Math.min(best, d2);
      }
      total += best;
    }
    return total;
  }

  /**
   * Best of {@code runs} seeded k-means++ / Lloyd runs (Commons Math 3), best = lowest inertia.
   * Deterministic for a fixed seed.
   */
  public static BatchResult batchKMeansBestOf(List<double[]> points, int k, int runs, long seed) {
    if (k < 1 || runs < 1) throw new IllegalArgumentException("k and runs must be >= 1: k=" + k + " runs=" + runs);
    if (points.size() < k) throw new IllegalArgumentException(points.size() + " points for k=" + k);
    List<DoublePoint> data = new ArrayList<>(points.size());
    for (double[] p : points) data.add(new DoublePoint(p));
    KMeansPlusPlusClusterer<DoublePoint> lloyd =
        new KMeansPlusPlusClusterer<>(k, MAX_ITERATIONS, new EuclideanDistance(), new Well19937c(seed));
    // The default evaluator (SumOfClusterVariances) ranks runs by the variance of point-to-centre
    // DISTANCES, which is not the k-means objective; rank by inertia instead.
    MultiKMeansPlusPlusClusterer<DoublePoint> best =
        new MultiKMeansPlusPlusClusterer<>(lloyd, runs, new InertiaEvaluator());
    List<double[]> centres = centresOf(best.cluster(data));
    return new BatchResult(centres, inertia(points, centres));
  }

  private static List<double[]> centresOf(List<? extends Cluster<DoublePoint>> clusters) {
    List<double[]> centres = new ArrayList<>(clusters.size());
    for (Cluster<DoublePoint> cluster : clusters) {
      centres.add(((CentroidCluster<DoublePoint>) cluster).getCenter().getPoint().clone());
    }
    return centres;
  }

  /** Scores a clustering by {@link #inertia} over all its points (lower is better, the default). */
  private static final class InertiaEvaluator extends ClusterEvaluator<DoublePoint> {
    @Override
    public double score(List<? extends Cluster<DoublePoint>> clusters) {
      List<double[]> points = new ArrayList<>();
      for (Cluster<DoublePoint> cluster : clusters) {
        for (DoublePoint p : cluster.getPoints()) points.add(p.getPoint());
      }
      return inertia(points, centresOf(clusters));
    }
  }
}
