package io.segmenter.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Chooses the number of segments k in [kMin, kMax] (default 5..8) on a sample of points in the
 * model's standardised space, by the mean silhouette coefficient (Rousseeuw 1987) of a batch k-means
 * clustering for each k.
 *
 * <p><b>Procedure.</b> For each k: batch k-means on the whole sample, best of {@code runs} seeded runs
 * (default 10) by inertia, each run k-means++ seeding ({@link KMeansModel#kMeansPlusPlus}) then up to
 * {@code lloydIterations} (default 50) Lloyd iterations ({@link KMeansModel#refine}). Then the mean
 * silhouette of that clustering (each point labelled with its nearest centre) on one deterministic
 * subsample of at most {@code silhouettePoints} points (default 1,500; the same subsample for every
 * k), computed exactly: for point i in cluster A, a(i) is the mean distance to the other members of
 * A, b(i) the lowest mean distance to the members of another cluster, and
 * {@code s(i) = (b(i) - a(i)) / max(a(i), b(i))}; s(i) = 0 when i is alone in its cluster (as in the
 * paper), when a(i) = b(i) = 0, and when the subsample holds only one cluster (b undefined). The
 * chosen k has the highest mean silhouette; <b>ties go to the smaller k</b>: the choice is the
 * smallest k whose mean silhouette is within {@link #TIE_TOLERANCE} (0.005) of the highest one.
 * Fewer segments are easier to name, explain and act on, and a difference of 0.005 is within what a
 * different subsample or seed changes.
 *
 * <p><b>Too few points.</b> A k for which the sample holds fewer than {@link
 * #MIN_DISTINCT_POINTS_PER_CLUSTER} (10) x k distinct points is skipped: it gets no score, and it
 * cannot be chosen: k-means on fewer points per cluster describes single customers, not segments.
 * When every k is skipped (or the sample is empty) the result is empty.
 *
 * <p><b>Determinism.</b> The same sample (same points in the same order), settings and seed give the
 * same result, bit for bit: run r of k is seeded from (seed, k, r) only, so a k's score does not
 * depend on the range asked for; the subsample is drawn from the seed; all sums run in a fixed order;
 * nothing runs in parallel.
 *
 * <p><b>Why the silhouette.</b> Issue 15 asks for k "chosen by a documented criterion on the model's
 * own sample (e.g. silhouette or gap statistic on the refresh sample)". The silhouette needs nothing
 * but the sample and the clustering: it compares, for every point, how close it is to its own
 * segment with how close it is to the next best one, which is what a segment should mean to a
 * user (members alike, segments apart). It is bounded in [-1, 1] and scale-free, so its values for
 * different k compare directly and can be shown to users as they are, per k (unlike inertia, which
 * always falls as k grows, so that an "elbow" is a judgement, not a rule). The gap statistic
 * (Tibshirani, Walther and Hastie 2001) compares the inertia with that of reference data sets drawn
 * uniformly over the sample's bounding box: it needs B such sets (typically 10 or more) each
 * clustered for every k, so B + 1 times the k-means work, and its answer depends on the choice of
 * reference distribution and on a standard-error rule. The silhouette's cost, quadratic in the
 * points, is bounded by the subsample. Its known bias, a preference for fewer, well separated,
 * round clusters, is harmless here: k is held to a small range of readable personas, and points are
 * standardised so no feature dominates the distances. It is not defined for one cluster, so the
 * criterion cannot say "no structure at all": kMin is at least 2. A k is chosen whatever the
 * values; Kaufman and Rousseeuw ("Finding Groups in Data", 1990) read a mean silhouette of 0.25 or
 * less as no substantial structure, which callers may use to keep the current k instead.
 */
public final class ClusterCountChoice {
  /** Smallest k tried by default. */
  public static final int DEFAULT_K_MIN = 5;
  /** Largest k tried by default. */
  public static final int DEFAULT_K_MAX = 8;
  /** Seeded k-means++ runs per k by default; the lowest inertia wins. */
  public static final int DEFAULT_RUNS = 10;
  /** Lloyd iterations per run at most, by default. */
  public static final int DEFAULT_LLOYD_ITERATIONS = 50;
  /** At most this many points enter the silhouette by default (its cost is quadratic in them). */
  public static final int DEFAULT_SILHOUETTE_POINTS = 1_500;
  /** A k needs at least this many distinct sample points per cluster to be tried. */
  public static final int MIN_DISTINCT_POINTS_PER_CLUSTER = 10;
  /** Mean silhouettes within this of the best count as a tie; the smallest such k is chosen. */
  public static final double TIE_TOLERANCE = 0.005;

  private ClusterCountChoice() { }

  /**
   * @param kMin smallest k tried, at least 2 (the silhouette needs two clusters)
   * @param kMax largest k tried, at least kMin
   * @param runs seeded k-means++ runs per k, at least 1
   * @param lloydIterations Lloyd iterations per run at most, at least 1
   * @param silhouettePoints at most this many points enter the silhouette, at least 2
   */
  public record Settings(int kMin, int kMax, int runs, int lloydIterations, int silhouettePoints) {
    public Settings {
      if (kMin < 2) throw new IllegalArgumentException("kMin must be >= 2 (no silhouette for one cluster): " + kMin);
      if (kMax < kMin) throw new IllegalArgumentException("kMax " + kMax + " < kMin " + kMin);
      if (runs < 1) throw new IllegalArgumentException("runs must be >= 1: " + runs);
      if (lloydIterations < 1) throw new IllegalArgumentException("lloydIterations must be >= 1: " + lloydIterations);
      if (silhouettePoints < 2) throw new IllegalArgumentException("silhouettePoints must be >= 2: " + silhouettePoints);
    }

    /** k 5..8, 10 runs, 50 Lloyd iterations, silhouette on at most 1,500 points. */
    public static Settings defaults() {
      return new Settings(DEFAULT_K_MIN, DEFAULT_K_MAX, DEFAULT_RUNS, DEFAULT_LLOYD_ITERATIONS, DEFAULT_SILHOUETTE_POINTS);
    }

    /** The defaults with another range of k. */
    public static Settings range(int kMin, int kMax) {
      return new Settings(kMin, kMax, DEFAULT_RUNS, DEFAULT_LLOYD_ITERATIONS, DEFAULT_SILHOUETTE_POINTS);
    }
  }

  /**
   * The figures of one k.
   *
   * @param silhouette mean silhouette of the best run's clustering on the subsample, in [-1, 1]
   * @param inertia the best run's sum of squared distances of the whole sample to the nearest centre
   */
  public record Score(int k, double silhouette, double inertia) { }

  /**
   * @param k the chosen number of clusters
   * @param silhouette its mean silhouette
   * @param inertia its inertia on the whole sample
   * @param clustering the best run for k: ids 0..k-1, version 1, weights = cluster sizes of the last
   *     Lloyd iteration, decay factor 1 (callers adopting it take its positions, e.g. through
   *     {@link ModelRefresh#reanchor})
   * @param scores every k tried (skipped ones absent), in increasing k
   * @param silhouettePoints how many points the silhouettes were computed on
   */
  public record Choice(int k, double silhouette, double inertia, KMeansModel clustering,
                       SortedMap<Integer, Score> scores, int silhouettePoints) {
    public Choice {
      scores = Collections.unmodifiableSortedMap(new TreeMap<>(scores));
    }
  }

  /** {@link #choose(List, Settings, long)} with the default settings. */
  public static Optional<Choice> choose(List<double[]> sample, long seed) {
    return choose(sample, Settings.defaults(), seed);
  }

  /**
   * @param sample standardised points (finite, one dimension); not modified
   * @param seed seeds the runs and the silhouette subsample
   * @return the choice (see the class Javadoc), or empty when no k in the range has enough
   *     distinct points
   * @throws IllegalArgumentException when the points differ in dimension or are not finite
   */
  public static Optional<Choice> choose(List<double[]> sample, Settings settings, long seed) {
    if (sample.isEmpty()) return Optional.empty();
    int dimension = sample.get(0).length;
    for (double[] p : sample) {
      if (p.length != dimension) throw new IllegalArgumentException("dimension " + p.length + " != " + dimension);
      for (double x : p) if (!Double.isFinite(x)) throw new IllegalArgumentException("not a finite point: " + Arrays.toString(p));
    }
    long distinct = distinctPoints(sample);
    List<Integer> ks = new ArrayList<>();
    for (int k = settings.kMin(); k <= settings.kMax(); k++) {
      if (distinct >= (long) MIN_DISTINCT_POINTS_PER_CLUSTER * k) ks.add(k);
    }
    if (ks.isEmpty()) return Optional.empty();

    // One flat copy of the sample serves every run of every k (LloydKernel: same results as
    // KMeansModel.refine and inertia). k-means++'s check for k distinct points is passed: by value,
    // there are at least 10k (and points distinct by value are distinct by bits).
    FlatPoints flat = FlatPoints.of(sample, dimension);
    List<double[]> subsample = subsample(sample, settings.silhouettePoints(), seed);
    List<KMeansModel> models = new ArrayList<>(ks.size());
    double[] inertias = new double[ks.size()];
    int[][] labelings = new int[ks.size()][];
    for (int i = 0; i < ks.size(); i++) {
      int k = ks.get(i);
      LloydKernel kernel = new LloydKernel(flat, k);
      KMeansModel best = null;
      double bestInertia = Double.POSITIVE_INFINITY;
      for (int run = 0; run < settings.runs(); run++) {
        KMeansModel candidate = kernel.refine(KMeansModel.kMeansPlusPlus(flat, k, runSeed(seed, k, run), 1.0),
            settings.lloydIterations());
        double inertia = kernel.inertia();
        if (best == null || inertia < bestInertia) { // ties: the earlier run
          best = candidate;
          bestInertia = inertia;
        }
      }
      models.add(best);
      inertias[i] = bestInertia;
      int[] labels = new int[subsample.size()];
      for (int p = 0; p < labels.length; p++) labels[p] = best.nearest(subsample.get(p)).centreId();
      labelings[i] = labels;
    }
    double[] silhouettes = meanSilhouettes(euclidean(subsample), subsample.size(), labelings);

    SortedMap<Integer, Score> scores = new TreeMap<>();
    for (int i = 0; i < ks.size(); i++) scores.put(ks.get(i), new Score(ks.get(i), silhouettes[i], inertias[i]));
    int chosen = pick(silhouettes);
    return Optional.of(new Choice(ks.get(chosen), silhouettes[chosen], inertias[chosen], models.get(chosen), scores,
        subsample.size()));
  }

  /**
   * The index of the chosen score among mean silhouettes in increasing order of k: the first (smallest
   * k) within {@link #TIE_TOLERANCE} of the highest.
   */
  static int pick(double[] silhouettes) {
    double highest = Double.NEGATIVE_INFINITY;
    for (double s : silhouettes) highest = Math.max(highest, s);
    int i = 0;
    while (silhouettes[i] < highest - TIE_TOLERANCE) i++;
    return i;
  }

  /**
   * Mean silhouette of a clustering of Euclidean points (see the class Javadoc for the definition
   * and the zero cases). Labels are any ints; equal labels mean the same cluster.
   */
  public static double meanSilhouette(List<double[]> points, int[] labels) {
    if (labels.length != points.size()) throw new IllegalArgumentException(labels.length + " labels for " + points.size() + " points");
    return meanSilhouettes(euclidean(points), points.size(), new int[][] {labels})[0];
  }

  /**
   * Silhouette of each point from a matrix of dissimilarities (symmetric, zero diagonal; only the
   * part below the diagonal is read), as in Rousseeuw (1987), where they need not be distances.
   */
  public static double[] silhouettes(double[][] dissimilarities, int[] labels) {
    int n = labels.length;
    if (dissimilarities.length != n) throw new IllegalArgumentException(n + " labels for " + dissimilarities.length + " points");
    int[] dense = denseLabels(labels);
    int clusters = Arrays.stream(dense).max().orElse(-1) + 1;
    double[][] sums = new double[n][clusters];
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double d = dissimilarities[i][j];
        sums[i][dense[j]] += d;
        sums[j][dense[i]] += d;
      }
    }
    return silhouettesFromSums(sums, dense, clusters);
  }

  /** Mean of {@link #silhouettes(double[][], int[])}. */
  public static double meanSilhouette(double[][] dissimilarities, int[] labels) {
    return mean(silhouettes(dissimilarities, labels));
  }

  // ---------------------------------------------------------------------------------------------

  private interface Dissimilarity {
    double between(int i, int j);
  }

  private static Dissimilarity euclidean(List<double[]> points) {
    double[][] p = points.toArray(new double[0][]);
    return (i, j) -> KMeansModel.distance(p[i], p[j]);
  }

  /**
   * Mean silhouettes of several labelings of the same points in one pass over the pairs: each
   * dissimilarity is computed once and added to the per-cluster sums of every labeling.
   */
  private static double[] meanSilhouettes(Dissimilarity d, int n, int[][] labelings) {
    int l = labelings.length;
    int[][] dense = new int[l][];
    int[] clusters = new int[l];
    double[][][] sums = new double[l][][];
    for (int x = 0; x < l; x++) {
      if (labelings[x].length != n) throw new IllegalArgumentException(labelings[x].length + " labels for " + n + " points");
      dense[x] = denseLabels(labelings[x]);
      clusters[x] = Arrays.stream(dense[x]).max().orElse(-1) + 1;
      sums[x] = new double[n][clusters[x]];
    }
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double dij = d.between(i, j);
        for (int x = 0; x < l; x++) {
          sums[x][i][dense[x][j]] += dij;
          sums[x][j][dense[x][i]] += dij;
        }
      }
    }
    double[] out = new double[l];
    for (int x = 0; x < l; x++) out[x] = mean(silhouettesFromSums(sums[x], dense[x], clusters[x]));
    return out;
  }

  /** sums[i][c] = summed dissimilarity of point i to the points of cluster c (i itself excluded). */
  private static double[] silhouettesFromSums(double[][] sums, int[] labels, int clusters) {
    int n = labels.length;
    long[] size = new long[clusters];
    for (int c : labels) size[c]++;
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      int own = labels[i];
      if (size[own] <= 1) continue; // alone in its cluster: 0
      double a = sums[i][own] / (size[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < clusters; c++) {
        if (c != own && size[c] > 0) b = Math.min(b, sums[i][c] / size[c]);
      }
      if (b == Double.POSITIVE_INFINITY) continue; // one cluster only: 0
      double scale = Math.max(a, b);
      s[i] = scale > 0 ? (b - a) / scale : 0;
    }
    return s;
  }

  /** Labels renumbered 0..c-1 in increasing order of the original label. */
  private static int[] denseLabels(int[] labels) {
    int[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) out[i] = Arrays.binarySearch(distinct, labels[i]);
    return out;
  }

  private static double mean(double[] xs) {
    if (xs.length == 0) return 0;
    double total = 0;
    for (double x : xs) total += x;
    return total / xs.length;
  }

  /**
   * The sample itself when it is small enough, otherwise {@code max} points drawn without
   * replacement (partial Fisher-Yates, seeded), kept in sample order.
   */
  static List<double[]> subsample(List<double[]> sample, int max, long seed) {
    int n = sample.size();
    if (n <= max) return sample;
    int[] index = new int[n];
    for (int i = 0; i < n; i++) index[i] = i;
    SplittableRandom random = new SplittableRandom(mix(seed ^ 0x51_1C0E_77E5L));
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(n - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    int[] chosen = Arrays.copyOf(index, max);
    Arrays.sort(chosen);
    List<double[]> out = new ArrayList<>(max);
    for (int i : chosen) out.add(sample.get(i));
    return out;
  }

  /**
   * Different points (by value; -0.0 equals 0.0, as DoubleBuffer.equals counted them here before):
   * {@link KMeansModel#distinctPoints}, which tells -0.0 from 0.0, on copies with -0.0 made 0.0.
   */
  private static long distinctPoints(List<double[]> sample) {
    List<double[]> zeroesAlike = new ArrayList<>(sample.size());
    for (double[] p : sample) {
      double[] q = new double[p.length];
      for (int i = 0; i < p.length; i++) q[i] = p[i] + 0.0; // -0.0 + 0.0 is 0.0
      zeroesAlike.add(q);
    }
    return KMeansModel.distinctPoints(zeroesAlike);
  }

  /** The seed of run {@code run} for {@code k}: a function of (seed, k, run) only. */
  static long runSeed(long seed, int k, int run) {
    return mix(mix(mix(seed) + k) + run);
  }

  /** SplitMix64's finaliser (Steele, Lea and Flood 2014): neighbouring inputs, unrelated outputs. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
