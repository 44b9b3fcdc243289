package io.segmenter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.testing.ClusteringMetrics.BatchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusteringMetricsTest {

  @Test
  void identicalPartitionsWithPermutedLabelValuesScoreOne() {
    int[] a = {0, 0, 1, 1, 1, 2, 2, 3};
    int[] b = {42, 42, -7, -7, -7, 1000, 1000, 5};
    assertThat(ClusteringMetrics.adjustedRandIndex(a, b)).isEqualTo(1.0);
    assertThat(ClusteringMetrics.adjustedRandIndex(b, a)).isEqualTo(1.0);
  }

  // Expected values computed with scikit-learn 1.2.1 sklearn.metrics.adjusted_rand_score.
  @Test
  void matchesScikitLearn() {
    assertThat(ClusteringMetrics.adjustedRandIndex(
        new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 1, 2, 2, 2}))
        .isCloseTo(0.4444444444444444, within(1e-12));
    assertThat(ClusteringMetrics.adjustedRandIndex(
        new int[] {5, 5, 5, -1, -1, -1, 9, 9, 9, 9}, new int[] {2, 2, 3, 3, 3, 4, 4, 4, 4, 4}))
        .isCloseTo(0.460431654676259, within(1e-12));
    assertThat(ClusteringMetrics.adjustedRandIndex(
        new int[] {1, 1, 2, 2, 3, 3, 4, 4}, new int[] {1, 1, 1, 1, 2, 2, 2, 2}))
        .isCloseTo(0.36363636363636365, within(1e-12));
    // Worse than chance: negative.
    assertThat(ClusteringMetrics.adjustedRandIndex(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}))
        .isCloseTo(-0.5, within(1e-12));
    assertThat(ClusteringMetrics.adjustedRandIndex(
        new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2}))
        .isCloseTo(-0.3333333333333333, within(1e-12));
  }

  @Test
  void degenerateLabelingsFollowScikitLearnConventions() {
    assertThat(ClusteringMetrics.adjustedRandIndex(new int[] {3, 3, 3}, new int[] {1, 1, 1})).isEqualTo(1.0);
    assertThat(ClusteringMetrics.adjustedRandIndex(new int[] {0, 1, 2}, new int[] {5, 6, 7})).isEqualTo(1.0);
    assertThatThrownBy(() -> ClusteringMetrics.adjustedRandIndex(new int[2], new int[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeLabelingsDoNotOverflow() {
    int n = 100_000;
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 2;
      b[i] = i < n - 10 ? 7 * (i % 2) : 7 * ((i + 1) % 2);
    }
    // 100k points: pair counts reach 1e10 and their products 1e20, beyond a long. Also from sklearn 1.2.1.
    assertThat(ClusteringMetrics.adjustedRandIndex(a, b)).isCloseTo(0.99960003600032, within(1e-12));
  }

  @Test
  void inertiaOfAHandExample() {
    List<double[]> points = List.of(new double[] {0, 0}, new double[] {1, 0}, new double[] {10, 10},
        new double[] {10, 12});
    List<double[]> centres = List.of(new double[] {0, 0}, new double[] {10, 11});
    // 0 + 1 (to (0,0)) + 1 + 1 (to (10,11)).
    assertThat(ClusteringMetrics.inertia(points, centres)).isEqualTo(3.0);
    assertThat(ClusteringMetrics.inertia(points, List.of(new double[] {0, 0}))).isEqualTo(0 + 1 + 200 + 244);
  }

  @Test
  void batchKMeansFindsWellSeparatedBlobsDeterministically() {
    double[][] means = {{0, 0}, {10, 0}, {0, 10}};
    List<double[]> points = blobs(means, 1000, new SplittableRandom(11));

    BatchResult result = ClusteringMetrics.batchKMeansBestOf(points, 3, 5, 42L);
    assertThat(result.centres()).hasSize(3);
    for (double[] mean : means) {
      double nearest = result.centres().stream().mapToDouble(c -> Math.hypot(c[0] - mean[0], c[1] - mean[1]))
          .min().orElseThrow();
      assertThat(nearest).as("centre near (%s, %s)", mean[0], mean[1]).isLessThan(0.2);
    }
    assertThat(result.inertia()).isEqualTo(ClusteringMetrics.inertia(points, result.centres()));
    // Three unit-variance 2-d blobs: about 2 per point.
    assertThat(result.inertia() / points.size()).isCloseTo(2.0, within(0.2));

    BatchResult again = ClusteringMetrics.batchKMeansBestOf(points, 3, 5, 42L);
    assertThat(again.inertia()).isEqualTo(result.inertia());
    for (int i = 0; i < 3; i++) {
      assertThat(again.centres().get(i)).containsExactly(result.centres().get(i));
    }
  }

  @Test
  void bestOfManyRunsIsNoWorseThanASingleRun() {
    double[][] means = {{0, 0}, {4, 0}, {0, 4}, {4, 4}, {2, 2}};
    List<double[]> points = blobs(means, 200, new SplittableRandom(5));
    double single = ClusteringMetrics.batchKMeansBestOf(points, 5, 1, 9L).inertia();
    double best = ClusteringMetrics.batchKMeansBestOf(points, 5, 10, 9L).inertia();
    // Same seed: the first of the ten runs is the single run, so the best can only be lower.
    assertThat(best).isLessThanOrEqualTo(single);
  }

  private static List<double[]> blobs(double[][] means, int perBlob, SplittableRandom rnd) {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < perBlob; i++) {
      for (double[] mean : means) {
        points.add(new double[] {mean[0] + gaussian(rnd), mean[1] + gaussian(rnd)});
      }
    }
    return points;
  }

  /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
