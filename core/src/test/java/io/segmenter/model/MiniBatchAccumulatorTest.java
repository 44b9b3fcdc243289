package io.segmenter.model;

import static io.segmenter.model.SampleChecks.CHI2_9DF_P001;
import static io.segmenter.model.SampleChecks.decileChiSquare;
import static io.segmenter.model.SampleChecks.indices;
import static io.segmenter.model.SampleChecks.ksDistance;
import static io.segmenter.model.SampleChecks.mean;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.clv.CustomerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MiniBatchAccumulatorTest {
  static final int D = Features.DIMENSION;

  /** A point whose first coordinate is its index in the batch. */
  static double[] point(long index) {
    double[] p = new double[D];
    p[0] = index;
    p[1] = 1;
    return p;
  }

  private static long[] sampleOf(MiniBatchAccumulator a) {
    return indices(a.snapshot("0_0", 1, -1).sample());
  }

  @Test
  void theSampleOfAHundredThousandPointsIsSpreadUniformlyOverTheWholeBatch() {
    MiniBatchAccumulator a = new MiniBatchAccumulator(D, 42);
    int n = 100_000;
    for (int i = 0; i < n; i++) a.add(point(i), -1, i, 1_000);
    long[] sample = sampleOf(a);
    double mean = mean(sample);
    double chi2 = decileChiSquare(sample, n);
    double ks = ksDistance(sample, n);
    System.out.printf("accumulator, 100,000 points, cap 1,000: mean index %.0f, decile chi-square %.2f, KS %.4f%n",
        mean, chi2, ks);
    assertThat(sample).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(a.points()).isEqualTo(n);
    // Uniform on 0..99,999: mean 50,000, standard error 28,868 / sqrt(1,000) = 913. The first 1,000
    // points would have a mean of 500.
    assertThat(mean).isBetween(50_000 - 4 * 913.0, 50_000 + 4 * 913.0);
    assertThat(chi2).as("chi-square of the ten deciles' counts, 9 df").isLessThan(CHI2_9DF_P001);
    assertThat(ks).as("Kolmogorov-Smirnov distance to uniform, 1.95/sqrt(n) at p = 0.001").isLessThan(1.95 / Math.sqrt(1_000));
  }

  @Test
  void whenTheCapShrinksWithinABatchTheSampleBecomesAUniformSubsampleOfItsNewSize() {
    // 5,000 points at the warm-up cap of 1,000, then a model arrives and the cap is 100; pooled over
    // a hundred seeds, the kept indices must be uniform over all 10,000 points.
    List<Long> pooled = new ArrayList<>();
    for (long seed = 0; seed < 100; seed++) {
      MiniBatchAccumulator a = new MiniBatchAccumulator(D, seed);
      for (int i = 0; i < 10_000; i++) a.add(point(i), -1, i, i < 5_000 ? 1_000 : 100);
      long[] sample = sampleOf(a);
      assertThat(sample).hasSize(100).doesNotHaveDuplicates();
      for (long x : sample) pooled.add(x);
    }
    long[] all = pooled.stream().mapToLong(Long::longValue).toArray();
    double chi2 = decileChiSquare(all, 10_000);
    System.out.printf("accumulator, cap 1,000 then 100, 100 seeds: mean index %.0f, decile chi-square %.2f%n", mean(all), chi2);
    assertThat(chi2).isLessThan(CHI2_9DF_P001);
    // Each half: 5,000 expected, standard error sqrt(10,000 / 4) = 50.
    assertThat(LongStream.of(all).filter(x -> x < 5_000).count()).isBetween(5_000L - 200, 5_000L + 200);
  }

  @Test
  void whenTheCapGrowsTheSampleGrowsOnlyWhileItStillHoldsEveryPoint() {
    MiniBatchAccumulator complete = new MiniBatchAccumulator(D, 1);
    for (int i = 0; i < 2_000; i++) complete.add(point(i), -1, i, i < 50 ? 100 : 1_000);
    assertThat(sampleOf(complete)).as("50 points kept of 50, then the cap grew: a full sample of 1,000").hasSize(1_000);

    // 500 points at cap 100 drop 400; with cap 1,000 afterwards the sample can only keep its 100
    // slots, but the later points still take their uniform share of them.
    List<Long> pooled = new ArrayList<>();
    for (long seed = 0; seed < 100; seed++) {
      MiniBatchAccumulator a = new MiniBatchAccumulator(D, seed);
      for (int i = 0; i < 2_000; i++) a.add(point(i), -1, i, i < 500 ? 100 : 1_000);
      long[] sample = sampleOf(a);
      assertThat(sample).hasSize(100);
      for (long x : sample) pooled.add(x);
    }
    long[] all = pooled.stream().mapToLong(Long::longValue).toArray();
    assertThat(decileChiSquare(all, 2_000)).isLessThan(CHI2_9DF_P001);
  }

  @Test
  void theSameSeedAndPointsGiveTheSameSampleAndSoDoesABatchRebuiltFromItsPoints() {
    MiniBatchAccumulator original = new MiniBatchAccumulator(D, 42);
    MiniBatchAccumulator twin = new MiniBatchAccumulator(D, 42);
    List<double[]> stored = new ArrayList<>();
    List<Integer> caps = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      int cap = i < 3_000 ? 1_000 : 64; // warm-up cap, then the model's
      original.add(point(i), -1, i, cap);
      twin.add(point(i), -1, i, cap);
      stored.add(point(i));
      caps.add(cap);
      if (i % 7 == 0) {
        original.addSummary(CustomerSummary.of(1, 1, 2));
        twin.addSummary(CustomerSummary.of(1, 1, 2));
      }
    }
    // A restart: a new accumulator re-adds the stored points in order, then both go on.
    MiniBatchAccumulator rebuilt = new MiniBatchAccumulator(D, 42);
    for (int i = 0; i < stored.size(); i++) rebuilt.add(stored.get(i), -1, i, caps.get(i));
    assertThat(sampleOf(rebuilt)).containsExactly(sampleOf(original));
    for (int i = 30_000; i < 40_000; i++) {
      original.add(point(i), -1, i, 64);
      twin.add(point(i), -1, i, 64);
      rebuilt.add(point(i), -1, i, 64);
    }
    TaskDelta a = original.drain("0_0", 1, -1);
    assertThat(a.sample()).hasSize(64);
    assertThat(indices(twin.drain("0_0", 1, -1).sample())).containsExactly(indices(a.sample()));
    assertThat(indices(rebuilt.drain("0_0", 1, -1).sample())).containsExactly(indices(a.sample()));

    MiniBatchAccumulator otherSeed = new MiniBatchAccumulator(D, 43);
    for (int i = 0; i < 40_000; i++) otherSeed.add(point(i), -1, i, i < 3_000 ? 1_000 : 64);
    assertThat(sampleOf(otherSeed)).as("another seed keeps other points").isNotEqualTo(indices(a.sample()));
  }

  @Test
  void aDrainedAccumulatorSamplesItsNextBatchAsAFreshOneWould() {
    MiniBatchAccumulator reused = new MiniBatchAccumulator(D, 5);
    for (int i = 0; i < 5_000; i++) reused.add(point(i), -1, i, 64);
    reused.drain("0_0", 1, -1);
    MiniBatchAccumulator fresh = new MiniBatchAccumulator(D, 5);
    for (int i = 0; i < 5_000; i++) {
      reused.add(point(10_000 + i), -1, i, 64);
      fresh.add(point(10_000 + i), -1, i, 64);
    }
    long[] sample = sampleOf(reused);
    assertThat(sample).containsExactly(sampleOf(fresh));
    assertThat(LongStream.of(sample).min().orElseThrow()).as("nothing of the drained batch").isGreaterThanOrEqualTo(10_000);
    assertThat(reused.points()).isEqualTo(5_000);
  }

  @Test
  void theSampleHoldsCopiesThatLaterChangesToTheCallersArrayDoNotReach() {
    MiniBatchAccumulator a = new MiniBatchAccumulator(D);
    double[] p = point(7);
    a.add(p, -1, 0, 10);
    p[0] = 99;
    assertThat(sampleOf(a)).containsExactly(7);
  }
}
