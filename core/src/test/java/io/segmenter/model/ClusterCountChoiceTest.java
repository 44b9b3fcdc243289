package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.model.ClusterCountChoice.Choice;
import io.segmenter.model.ClusterCountChoice.Score;
import io.segmenter.model.ClusterCountChoice.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusterCountChoiceTest {

  /**
   * {@code blobs} Gaussian blobs (sd 1 per coordinate) of {@code perBlob} points each, in {@code dim}
   * dimensions, points interleaved (blob 0, 1, ..., 0, 1, ...). Well separated, and evenly: the
   * centres lie on a sphere of radius R = 4 sqrt(dim) (within a blob, two points are about
   * sqrt(2 dim) apart), drawn in random directions and kept when at least R from every other centre,
   * so that every pair of centres is between R and 2R apart. (Clumps of blobs, some pairs far closer
   * than others, are a different question: there the silhouette may rightly prefer fewer clusters.)
   */
  static List<double[]> blobs(int blobs, int dim, int perBlob, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double radius = 4 * Math.sqrt(dim);
    List<double[]> centres = new ArrayList<>();
    while (centres.size() < blobs) {
      double[] c = new double[dim];
      for (int j = 0; j < dim; j++) c[j] = nextGaussian(r);
      double norm = Math.sqrt(KMeansModel.squaredDistance(c, new double[dim]));
      for (int j = 0; j < dim; j++) c[j] *= radius / norm;
      if (centres.stream().allMatch(o -> KMeansModel.distance(o, c) >= radius)) centres.add(c);
    }
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < perBlob; i++) {
      for (double[] c : centres) {
        double[] p = c.clone();
        for (int j = 0; j < dim; j++) p[j] += nextGaussian(r);
        out.add(p);
      }
    }
    return out;
  }

  private static double nextGaussian(SplittableRandom r) { // Box-Muller: SplittableRandom has none in Java 17
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static List<double[]> line(double... xs) {
    List<double[]> out = new ArrayList<>();
    for (double x : xs) out.add(new double[] {x});
    return out;
  }

  @Test
  void threeBlobsInFourDimensions() {
    Choice c = ClusterCountChoice.choose(blobs(3, 4, 120, 1), Settings.range(2, 6), 11).orElseThrow();
    assertThat(c.k()).isEqualTo(3);
    assertThat(c.scores().keySet()).containsExactly(2, 3, 4, 5, 6);
    assertThat(c.silhouette()).isGreaterThan(0.6);
  }

  @Test
  void fiveBlobsInEightDimensions() {
    Choice c = ClusterCountChoice.choose(blobs(5, 8, 150, 2), Settings.range(3, 8), 12).orElseThrow();
    assertThat(c.k()).isEqualTo(5);
    assertThat(c.silhouette()).isGreaterThan(0.6);
  }

  @Test
  void sevenBlobsInFourteenDimensionsWithTheDefaultRange() {
    List<double[]> sample = blobs(7, 14, 150, 3);
    Choice c = ClusterCountChoice.choose(sample, 13).orElseThrow();
    assertThat(c.k()).isEqualTo(7);
    assertThat(c.scores().keySet()).containsExactly(5, 6, 7, 8);
    // The winner beats its neighbours clearly, not by the tie tolerance.
    assertThat(c.silhouette()).isGreaterThan(c.scores().get(6).silhouette() + 0.05)
        .isGreaterThan(c.scores().get(8).silhouette() + 0.05);
    // The choice's figures are those of its clustering: ids 0..k-1, inertia on the whole sample.
    assertThat(c.clustering().centres()).extracting(Centre::id).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(c.inertia()).isEqualTo(c.clustering().inertia(sample));
    assertThat(c.scores().get(7)).isEqualTo(new Score(7, c.silhouette(), c.inertia()));
    // Inertia falls with k, which is why it cannot choose k by itself.
    assertThat(c.scores().get(5).inertia()).isGreaterThan(c.scores().get(6).inertia());
    assertThat(c.scores().get(6).inertia()).isGreaterThan(c.scores().get(7).inertia());
    assertThat(c.scores().get(7).inertia()).isGreaterThan(c.scores().get(8).inertia());
    assertThat(c.silhouettePoints()).isEqualTo(sample.size());
  }

  @Test
  void silhouetteOfSixPointsOnALineByHand() {
    List<double[]> points = line(0, 1, 2, 6, 7, 9);
    // Clusters {0,1,2} and {6,7,9}. Point 0: a = (1+2)/2 = 1.5, b = (6+7+9)/3 = 22/3, s = 1 - a/b = 35/44;
    // 1: a = 1, b = 19/3, s = 16/19; 2: a = 1.5, b = 16/3, s = 23/32; 6: a = 2, b = 5, s = 3/5;
    // 7: a = 1.5, b = 6, s = 3/4; 9: a = 2.5, b = 8, s = 11/16.
    double expected = (35.0 / 44 + 16.0 / 19 + 23.0 / 32 + 3.0 / 5 + 3.0 / 4 + 11.0 / 16) / 6;
    assertThat(ClusterCountChoice.meanSilhouette(points, new int[] {0, 0, 0, 1, 1, 1})).isCloseTo(expected, within(1e-12));
    // Labels are only names: any ints, in any order.
    assertThat(ClusterCountChoice.meanSilhouette(points, new int[] {7, 7, 7, -3, -3, -3})).isCloseTo(expected, within(1e-12));

    // 9 alone: s(9) = 0. Point 0: a = 1.5, b = min(6.5, 9) = 6.5, s = 10/13; 1: a = 1, b = 5.5, s = 9/11;
    // 2: a = 1.5, b = 4.5, s = 2/3; 6: a = 1, b = min(5, 3) = 3, s = 2/3; 7: a = 1, b = min(6, 2) = 2, s = 1/2.
    double withSingleton = (10.0 / 13 + 9.0 / 11 + 2.0 / 3 + 2.0 / 3 + 1.0 / 2 + 0) / 6;
    assertThat(ClusterCountChoice.meanSilhouette(points, new int[] {0, 0, 0, 1, 1, 2})).isCloseTo(withSingleton, within(1e-12));

    // 2 put with {6,7,9}: a = (4+5+7)/3 = 16/3, b = (2+1)/2 = 1.5, s = (1.5 - 16/3) / (16/3) = -23/32.
    double[][] d = new double[6][6];
    for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) d[i][j] = Math.abs(points.get(i)[0] - points.get(j)[0]);
    assertThat(ClusterCountChoice.silhouettes(d, new int[] {0, 0, 1, 1, 1, 1})[2]).isCloseTo(-23.0 / 32, within(1e-12));
    // The same figures as scikit-learn 1.2.1's silhouette_score on these points and labels
    // (0.73230163476874, 0.5701243201243201, 0.4248150338223868).
    assertThat(ClusterCountChoice.meanSilhouette(points, new int[] {0, 0, 0, 1, 1, 1})).isCloseTo(0.73230163476874, within(1e-12));
    assertThat(ClusterCountChoice.meanSilhouette(d, new int[] {0, 0, 1, 1, 1, 1})).isCloseTo(0.4248150338223868, within(1e-12));
  }

  @Test
  void degenerateSilhouettes() {
    // One cluster: b undefined, every s = 0. Identical points: a = b = 0, s = 0.
    assertThat(ClusterCountChoice.meanSilhouette(line(1, 2, 3), new int[] {4, 4, 4})).isZero();
    assertThat(ClusterCountChoice.meanSilhouette(line(1, 1, 1, 1), new int[] {0, 0, 1, 1})).isZero();
    assertThat(ClusterCountChoice.meanSilhouette(line(), new int[0])).isZero();
    assertThatThrownBy(() -> ClusterCountChoice.meanSilhouette(line(1, 2), new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Rousseeuw (1987), "Silhouettes: a graphical aid to the interpretation and validation of cluster
   * analysis", J. Comput. Appl. Math. 20, 53-65: Table 1 (dissimilarities between 12 countries, mean
   * of students' ratings), Figure 2 (k = 2) and Figure 3 (k = 3), as transcribed in scikit-learn's
   * {@code sklearn/metrics/cluster/tests/test_unsupervised.py} ({@code test_silhouette_paper_example}).
   * The paper prints two decimals; scikit-learn 1.2.1's {@code silhouette_score} with
   * {@code metric="precomputed"} gives 0.2796659054074746 and 0.3301020809328549 for the two means.
   */
  @Test
  void rousseeuwsCountries() {
    double[] lower = {
        5.58, 7.00, 6.50, 7.08, 7.00, 3.83, 4.83, 5.08, 8.17, 5.83, 2.17, 5.75, 6.67, 6.92, 4.92, 6.42, 5.00, 5.58,
        6.00, 4.67, 6.42, 3.42, 5.50, 6.42, 6.42, 5.00, 3.92, 6.17, 2.50, 4.92, 6.25, 7.33, 4.50, 2.25, 6.33, 2.75,
        6.08, 6.67, 4.25, 2.67, 6.00, 6.17, 6.17, 6.92, 6.17, 5.25, 6.83, 4.50, 3.75, 5.75, 5.42, 6.08, 5.83, 6.67,
        3.67, 4.75, 3.00, 6.08, 6.67, 5.00, 5.58, 4.83, 6.17, 5.67, 6.50, 6.92};
    // Rows in the order BEL, BRA, CHI, CUB, EGY, FRA, IND, ISR, USA, USS, YUG, ZAI; the part below the
    // diagonal row by row (numpy's tril_indices order).
    double[][] d = new double[12][12];
    int at = 0;
    for (int i = 1; i < 12; i++) {
      for (int j = 0; j < i; j++) {
        d[i][j] = lower[at];
        d[j][i] = lower[at++];
      }
    }
    assertThat(at).isEqualTo(lower.length);

    int[] twoClusters = {1, 1, 2, 2, 1, 1, 2, 1, 1, 2, 2, 1};
    double[] figure2 = {0.39, 0.22, 0.33, 0.40, 0.20, 0.35, -0.04, 0.30, 0.43, 0.34, 0.26, 0.19};
    assertThat(ClusterCountChoice.silhouettes(d, twoClusters)).containsExactly(figure2, within(0.005 + 1e-9));
    assertThat(ClusterCountChoice.meanSilhouette(d, twoClusters)).isCloseTo(0.28, within(0.005))
        .isCloseTo(0.2796659054074746, within(1e-12));

    int[] threeClusters = {1, 2, 3, 3, 1, 1, 2, 1, 1, 3, 3, 2};
    double[] figure3 = {0.42, 0.25, 0.31, 0.48, 0.02, 0.44, 0.17, 0.37, 0.47, 0.44, 0.31, 0.28};
    assertThat(ClusterCountChoice.silhouettes(d, threeClusters)).containsExactly(figure3, within(0.005 + 1e-9));
    assertThat(ClusterCountChoice.meanSilhouette(d, threeClusters)).isCloseTo(0.33, within(0.005))
        .isCloseTo(0.3301020809328549, within(1e-12));
  }

  @Test
  void theSameSampleAndSeedGiveTheSameChoice() {
    List<double[]> sample = blobs(6, 10, 260, 4); // 1,560 points: the silhouette uses a subsample
    Choice a = ClusterCountChoice.choose(sample, 99).orElseThrow();
    Choice b = ClusterCountChoice.choose(new ArrayList<>(sample), 99).orElseThrow();
    assertThat(a.silhouettePoints()).isEqualTo(ClusterCountChoice.DEFAULT_SILHOUETTE_POINTS);
    assertThat(b.k()).isEqualTo(a.k()).isEqualTo(6);
    assertThat(b.scores()).isEqualTo(a.scores()); // records of doubles: bit for bit
    for (int id = 0; id < a.k(); id++) {
      assertThat(b.clustering().centre(id).position()).isEqualTo(a.clustering().centre(id).position());
    }
    // A k's score depends on (sample, seed, k), not on the range asked for.
    Choice narrow = ClusterCountChoice.choose(sample, Settings.range(6, 7), 99).orElseThrow();
    assertThat(narrow.scores().get(6)).isEqualTo(a.scores().get(6));
    assertThat(narrow.scores().get(7)).isEqualTo(a.scores().get(7));
  }

  @Test
  void ties() {
    // Within 0.005 of the best: the smallest such k.
    assertThat(ClusterCountChoice.pick(new double[] {0.500, 0.504, 0.490})).isEqualTo(0);
    assertThat(ClusterCountChoice.pick(new double[] {0.500, 0.506, 0.490})).isEqualTo(1);
    assertThat(ClusterCountChoice.pick(new double[] {0.300, 0.600, 0.598, 0.7})).isEqualTo(3);
    assertThat(ClusterCountChoice.pick(new double[] {0.300, 0.600, 0.603})).isEqualTo(1);
  }

  @Test
  void aKWithTooFewDistinctPointsIsSkipped() {
    // 55 distinct points, each 4 times: k = 5 needs 50 distinct points, k = 6 already 60.
    List<double[]> base = blobs(5, 4, 11, 5);
    List<double[]> sample = new ArrayList<>();
    for (int copy = 0; copy < 4; copy++) for (double[] p : base) sample.add(p.clone());
    Choice c = ClusterCountChoice.choose(sample, 1).orElseThrow();
    assertThat(c.scores().keySet()).containsExactly(5);
    assertThat(c.k()).isEqualTo(5);

    // 49 distinct points: no k of 5..8 possible; 2..4 are.
    List<double[]> tooFew = blobs(7, 4, 7, 6);
    assertThat(ClusterCountChoice.choose(tooFew, 1)).isEmpty();
    assertThat(ClusterCountChoice.choose(tooFew, Settings.range(2, 6), 1).orElseThrow().scores().keySet())
        .containsExactly(2, 3, 4);
    assertThat(ClusterCountChoice.choose(List.of(), 1)).isEmpty();
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> Settings.range(1, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Settings.range(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(2, 3, 0, 50, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(2, 3, 1, 50, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterCountChoice.choose(List.of(new double[] {1, 2}, new double[] {1}), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterCountChoice.choose(List.of(new double[] {Double.NaN}), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
