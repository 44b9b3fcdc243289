package io.segmenter.bench;

import io.segmenter.model.ClusterCountChoice;
import io.segmenter.model.ClusterCountChoice.Choice;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cost of one {@link ClusterCountChoice#choose} at its defaults (k 5..8, 10 seeded k-means++ runs per
 * k, up to 50 Lloyd iterations each, silhouette on 1,500 of the points) on a sample of the size
 * issue 15 names: 5,000 standardised points of 14 features. Not JMH: a plain {@code main} that
 * prints, per data set, the best and median wall time and CPU time of the calling thread over the
 * rounds (the first ones warm the JIT up; the choice runs on one thread, so on a busy shared machine
 * its CPU time is the steadier figure), the choice and its per-k scores, and the cost of the
 * silhouette of one clustering alone.
 *
 * <p>Two data sets, both standardised per feature (mean 0, sd 1) as the model's sample is:
 * "segments", six Gaussian groups of unequal size and spread that overlap somewhat (customer-like),
 * and "no structure", one Gaussian cloud, where Lloyd's iterations converge slowly and most runs use
 * all 50 (the slow case).
 *
 * <p>Usage: {@code ClusterCountChoiceBenchmark [points] [dims] [rounds]}.
 */
public final class ClusterCountChoiceBenchmark {
  private ClusterCountChoiceBenchmark() { }

  public static void main(String[] args) {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int dims = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    System.out.printf("ClusterCountChoice.choose, defaults %s, %,d points x %d dims, %d rounds, %d available processors%n",
        ClusterCountChoice.Settings.defaults(), points, dims, rounds, Runtime.getRuntime().availableProcessors());
    run("segments (6 overlapping groups)", standardise(groups(points, dims, 6, 42)), rounds);
    run("no structure (one Gaussian cloud)", standardise(groups(points, dims, 1, 43)), rounds);
  }

  private static void run(String name, List<double[]> sample, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    Choice last = null;
    for (int r = 0; r < rounds; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      last = ClusterCountChoice.choose(sample, 7).orElseThrow();
      wall[r] = (System.nanoTime() - t0) / 1e6;
      cpu[r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
    }
    System.out.printf("%s: wall best %.0f ms, median %.0f ms; CPU best %.0f ms, median %.0f ms%n",
        name, min(wall), median(wall), min(cpu), median(cpu));
    System.out.printf("  chosen k = %d (silhouette %.4f on %,d points); per k:%n", last.k(), last.silhouette(), last.silhouettePoints());
    last.scores().values().forEach(s -> System.out.printf("    k = %d: silhouette %.4f, inertia %.1f%n", s.k(), s.silhouette(), s.inertia()));

    // The silhouette of one clustering alone, on the same subsample size.
    List<double[]> sub = sample.subList(0, Math.min(sample.size(), ClusterCountChoice.DEFAULT_SILHOUETTE_POINTS));
    int[] labels = new int[sub.size()];
    for (int i = 0; i < labels.length; i++) labels[i] = last.clustering().nearest(sub.get(i)).centreId();
    double[] sil = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      ClusterCountChoice.meanSilhouette(sub, labels);
      sil[r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
    }
    System.out.printf("  silhouette of one clustering on %,d points alone: CPU best %.1f ms, median %.1f ms%n",
        sub.size(), min(sil), median(sil));
  }

  /** {@code groups} Gaussian groups, sizes in ratio 1..groups, sd 0.5..2, centres N(0, 3^2) per feature. */
  private static List<double[]> groups(int points, int dims, int groups, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] centres = new double[groups][dims];
    double[] sd = new double[groups];
    for (int g = 0; g < groups; g++) {
      for (int j = 0; j < dims; j++) centres[g][j] = groups == 1 ? 0 : 3 * gaussian(random);
      sd[g] = groups == 1 ? 1 : 0.5 + 1.5 * g / (groups - 1);
    }
    int totalWeight = groups * (groups + 1) / 2;
    List<double[]> out = new ArrayList<>(points);
    for (int i = 0; i < points; i++) {
      int pick = random.nextInt(totalWeight);
      int g = 0;
      while (pick >= g + 1) {
        pick -= g + 1;
        g++;
      }
      double[] p = new double[dims];
      for (int j = 0; j < dims; j++) p[j] = centres[g][j] + sd[g] * gaussian(random);
      out.add(p);
    }
    return out;
  }

  private static List<double[]> standardise(List<double[]> points) {
    int dims = points.get(0).length;
    for (int j = 0; j < dims; j++) {
      double mean = 0;
      for (double[] p : points) mean += p[j];
      mean /= points.size();
      double var = 0;
      for (double[] p : points) var += (p[j] - mean) * (p[j] - mean);
      double sd = Math.sqrt(var / points.size());
      for (double[] p : points) p[j] = (p[j] - mean) / sd;
    }
    return points;
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
