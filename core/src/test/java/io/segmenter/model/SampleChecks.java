package io.segmenter.model;

import java.util.Arrays;
import java.util.List;

/** Goodness-of-fit figures for samples of indices that should be uniform. */
final class SampleChecks {
  /** Chi-square critical value, 9 degrees of freedom (ten bins), p = 0.001. */
  static final double CHI2_9DF_P001 = 27.877;
  /** Chi-square critical value, 49 degrees of freedom (fifty bins), p = 0.001. */
  static final double CHI2_49DF_P001 = 85.351;

  private SampleChecks() { }

  /** The first coordinate of each point (tests put the point's index there). */
  static long[] indices(List<double[]> sample) {
    return sample.stream().mapToLong(p -> (long) p[0]).toArray();
  }

  static double mean(long[] xs) {
    return Arrays.stream(xs).average().orElse(Double.NaN);
  }

  /** How many of the indices fall in each tenth of [0, n). */
  static long[] deciles(long[] indices, long n) {
    long[] counts = new long[10];
    for (long i : indices) counts[(int) (i * 10 / n)]++;
    return counts;
  }

  /** Pearson's chi-square of observed counts against expected ones. */
  static double chiSquare(long[] observed, double[] expected) {
    double chi2 = 0;
    for (int i = 0; i < observed.length; i++) {
      double d = observed[i] - expected[i];
      chi2 += d * d / expected[i];
    }
    return chi2;
  }

  /** Chi-square of the deciles of indices in [0, n) against ten equal tenths. */
  static double decileChiSquare(long[] indices, long n) {
    double[] expected = new double[10];
    Arrays.fill(expected, indices.length / 10.0);
    return chiSquare(deciles(indices, n), expected);
  }

  /** Kolmogorov-Smirnov distance between the indices' empirical distribution and uniform on [0, n). */
  static double ksDistance(long[] indices, long n) {
    long[] sorted = indices.clone();
    Arrays.sort(sorted);
    double d = 0;
    for (int k = 0; k < sorted.length; k++) {
      double f = (sorted[k] + 0.5) / n;
      d = Math.max(d, Math.max(Math.abs((k + 1.0) / sorted.length - f), Math.abs((double) k / sorted.length - f)));
    }
    return d;
  }
}
