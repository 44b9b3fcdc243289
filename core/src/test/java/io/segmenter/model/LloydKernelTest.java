package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The flat kernels give, bit for bit, what a plain implementation of the same definitions gives
 * (kept below: lists of points, one point and one centre at a time, as KMeansModel did before the
 * kernels): k-means++ seeds, Lloyd positions, weights, labels and inertia. The samples have
 * duplicate points, points exactly half way between two centres (small integer grids), -0.0
 * coordinates, more points than one block of the kernel, and centre ids that are not 0..k-1.
 */
class LloydKernelTest {

  @Test
  void refineInertiaAndLabelsEqualThePlainDefinitionsBitForBit() {
    int ties = 0;
    for (int seed = 0; seed < 40; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int dimension = 1 + random.nextInt(14);
      boolean grid = seed % 2 == 0;
      List<double[]> sample = sample(random, 20 + random.nextInt(700), dimension, grid);
      int k = 1 + random.nextInt(Math.min(9, distinctByValue(sample)));
      KMeansModel start = withSparseIds(KMeansModel.kMeansPlusPlus(sample, k, seed, 1.0), grid, random);
      ties += referenceTies(sample, positions(start));

      for (int iterations : new int[] {1, 2, 7, 50}) {
        double[][] expected = positions(start);
        long[] weights = referenceLloyd(sample, expected, iterations);
        KMeansModel refined = start.refine(sample, iterations);
        String what = "seed " + seed + ", d " + dimension + ", k " + k + ", " + iterations + " iterations";
        assertThat(refined.version()).as(what).isEqualTo(start.version());
        assertThat(refined.nextCentreId()).as(what).isEqualTo(start.nextCentreId());
        for (int j = 0; j < k; j++) {
          Centre c = refined.centres().get(j);
          Centre was = start.centres().get(j);
          assertThat(c.id()).as(what).isEqualTo(was.id());
          assertThat(bits(c.position())).as(what + ", centre " + j).containsExactly(bits(expected[j]));
          assertThat(Double.doubleToRawLongBits(c.weight())).as(what).isEqualTo(Double.doubleToRawLongBits(weights[j]));
          assertThat(c.replacesId()).as(what).isEqualTo(was.replacesId());
        }
        assertThat(Double.doubleToRawLongBits(refined.inertia(sample))).as(what)
            .isEqualTo(Double.doubleToRawLongBits(referenceInertia(sample, expected)));

        LloydKernel kernel = new LloydKernel(FlatPoints.of(sample, dimension), k);
        KMeansModel again = kernel.refine(start, iterations);
        assertThat(Double.doubleToRawLongBits(kernel.inertia())).as(what)
            .isEqualTo(Double.doubleToRawLongBits(referenceInertia(sample, expected)));
        int[] labels = kernel.labels();
        for (int i = 0; i < sample.size(); i++) {
          assertThat(labels[i]).as(what + ", point " + i).isEqualTo(referenceNearest(sample.get(i), expected));
          assertThat(again.centres().get(labels[i]).id()).isEqualTo(again.nearest(sample.get(i)).centreId());
        }
      }
    }
    // The tie rule was exercised: points at exactly the same distance from two centres.
    assertThat(ties).isGreaterThan(100);
  }

  @Test
  void kMeansPlusPlusEqualsThePlainDefinitionBitForBit() {
    for (int seed = 0; seed < 40; seed++) {
      SplittableRandom random = new SplittableRandom(1000 + seed);
      int dimension = 1 + random.nextInt(14);
      List<double[]> sample = sample(random, 20 + random.nextInt(700), dimension, seed % 2 == 0);
      int k = 1 + random.nextInt(Math.min(9, distinctByValue(sample)));
      KMeansModel seeded = KMeansModel.kMeansPlusPlus(sample, k, seed * 7919L, 0.9);
      double[][] expected = referenceKMeansPlusPlus(sample, k, seed * 7919L);
      assertThat(seeded.centres()).hasSize(k);
      for (int j = 0; j < k; j++) {
        assertThat(bits(seeded.centres().get(j).position())).as("seed " + seed + ", centre " + j)
            .containsExactly(bits(expected[j]));
      }
    }
  }

  @Test
  void aCentreWithoutPointsKeepsItsPlaceAndWeighsNothing() {
    List<double[]> sample = List.of(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1});
    KMeansModel start = new KMeansModel(3, 2, List.of(
        new Centre(4, new double[] {0, 0}, 9, 1, 2, null),
        new Centre(8, new double[] {50, 50}, 9, 1, 2, 5)), 9, 1.0);
    KMeansModel refined = start.refine(sample, 10);
    assertThat(refined.centre(4).position()).containsExactly(1.0 / 3, 1.0 / 3);
    assertThat(refined.centre(4).weight()).isEqualTo(3);
    assertThat(refined.centre(8).position()).containsExactly(50, 50);
    assertThat(refined.centre(8).weight()).isZero();
    assertThat(refined.centre(8).replacesId()).isEqualTo(5);
  }

  // --- samples -----------------------------------------------------------------------------------

  /** Gaussian groups, or points of a small integer grid (many exact ties); about 1 in 8 duplicated. */
  private static List<double[]> sample(SplittableRandom random, int n, int dimension, boolean grid) {
    int groups = 1 + random.nextInt(6);
    double[][] centres = new double[groups][dimension];
    for (double[] c : centres) for (int t = 0; t < dimension; t++) c[t] = grid ? random.nextInt(3) : 3 * gaussian(random);
    List<double[]> out = new ArrayList<>();
    while (out.size() < n) {
      if (!out.isEmpty() && random.nextInt(8) == 0) {
        out.add(out.get(random.nextInt(out.size())).clone());
        continue;
      }
      double[] p = centres[random.nextInt(groups)].clone();
      for (int t = 0; t < dimension; t++) {
        p[t] += grid ? random.nextInt(3) - 1 : gaussian(random);
        if (grid && p[t] == 0 && random.nextBoolean()) p[t] = -0.0;
      }
      out.add(p);
    }
    return out;
  }

  /** The same centres with ids spread out (still in the same order) and some lineage. */
  private static KMeansModel withSparseIds(KMeansModel m, boolean grid, SplittableRandom random) {
    List<Centre> out = new ArrayList<>();
    int id = random.nextInt(5);
    for (Centre c : m.centres()) {
      out.add(new Centre(id, c.position(), 2.5, 3, 4, grid ? null : id + 100));
      id += 1 + random.nextInt(4);
    }
    return new KMeansModel(7, m.dimension(), out, id + 1, 0.95);
  }

  /**
   * Points that differ in value: k-means++ needs k of them (KMeansModel.distinctPoints counts 0.0 and
   * -0.0 apart, which D^2 sampling cannot tell apart).
   */
  private static int distinctByValue(List<double[]> points) {
    java.util.Set<java.nio.DoubleBuffer> seen = new java.util.HashSet<>();
    for (double[] p : points) seen.add(java.nio.DoubleBuffer.wrap(p));
    return seen.size();
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static double[][] positions(KMeansModel m) {
    double[][] out = new double[m.centres().size()][];
    for (int j = 0; j < out.length; j++) out[j] = m.centres().get(j).position();
    return out;
  }

  private static long[] bits(double[] xs) {
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = Double.doubleToRawLongBits(xs[i]);
    return out;
  }

  // --- the plain definitions ---------------------------------------------------------------------

  private static double squaredDistance(double[] p, double[] c) {
    double d = 0;
    for (int t = 0; t < p.length; t++) {
      double x = p[t] - c[t];
      d += x * x;
    }
    return d;
  }

  /** Index of the first centre at the smallest squared distance; -1 if none is below infinity. */
  private static int referenceNearest(double[] p, double[][] centres) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int j = 0; j < centres.length; j++) {
      double d = squaredDistance(p, centres[j]);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    return best;
  }

  /** Points whose nearest centre is not the only one at that distance. */
  private static int referenceTies(List<double[]> points, double[][] centres) {
    int ties = 0;
    for (double[] p : points) {
      int best = referenceNearest(p, centres);
      double bestD = squaredDistance(p, centres[best]);
      for (int j = best + 1; j < centres.length; j++) {
        if (squaredDistance(p, centres[j]) == bestD) {
          ties++;
          break;
        }
      }
    }
    return ties;
  }

  /**
   * Lloyd's iterations on {@code centres} (moved in place): assign each point, then move each centre
   * with points to the sum of its points in sample order divided by their count; stop when no
   * coordinate changed. Returns the counts of the last assignment.
   */
  private static long[] referenceLloyd(List<double[]> points, double[][] centres, int maxIterations) {
    int k = centres.length;
    long[] counts = new long[k];
    for (int it = 0; it < maxIterations; it++) {
      counts = new long[k];
      double[][] sums = new double[k][centres[0].length];
      for (double[] p : points) {
        int j = referenceNearest(p, centres);
        counts[j]++;
        for (int t = 0; t < p.length; t++) sums[j][t] += p[t];
      }
      boolean changed = false;
      for (int j = 0; j < k; j++) {
        if (counts[j] == 0) continue;
        for (int t = 0; t < sums[j].length; t++) {
          double x = sums[j][t] / counts[j];
          if (x != centres[j][t]) changed = true;
          centres[j][t] = x;
        }
      }
      if (!changed) break;
    }
    return counts;
  }

  /** Sum in sample order of the distance to the nearest centre, squared (the distance is a square root). */
  private static double referenceInertia(List<double[]> points, double[][] centres) {
    double total = 0;
    for (double[] p : points) {
      double d = Math.sqrt(squaredDistance(p, centres[referenceNearest(p, centres)]));
      total += d * d;
    }
    return total;
  }

  /** k-means++: the first centre uniformly, then D^2 sampling (as KMeansModel's sampler draws). */
  private static double[][] referenceKMeansPlusPlus(List<double[]> sample, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<double[]> chosen = new ArrayList<>();
    chosen.add(sample.get(rnd.nextInt(sample.size())));
    double[] d2 = new double[sample.size()];
    for (int i = 0; i < d2.length; i++) d2[i] = squaredDistance(sample.get(i), chosen.get(0));
    while (chosen.size() < k) {
      double total = 0;
      for (double w : d2) total += w;
      double r = rnd.nextDouble() * total;
      double acc = 0;
      int idx = -1;
      for (int i = 0; i < d2.length; i++) {
        if (d2[i] <= 0) continue;
        acc += d2[i];
        idx = i;
        if (r < acc) break;
      }
      double[] c = sample.get(idx);
      chosen.add(c);
      for (int i = 0; i < d2.length; i++) d2[i] = Math.min(d2[i], squaredDistance(sample.get(i), c));
    }
    return chosen.toArray(new double[0][]);
  }
}
