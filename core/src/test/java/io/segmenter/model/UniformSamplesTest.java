package io.segmenter.model;

import static io.segmenter.model.SampleChecks.CHI2_9DF_P001;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniformSamplesTest {
  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  @Test
  void aSubsetTakesEveryItemEquallyOftenAndNeverTwice() {
    long[] counts = new long[10];
    SplittableRandom random = new SplittableRandom(1);
    for (int run = 0; run < 20_000; run++) {
      List<Integer> s = UniformSamples.subset(range(0, 10), 3, random);
      assertThat(s).hasSize(3).doesNotHaveDuplicates();
      for (int x : s) counts[x]++;
    }
    double[] expected = new double[10];
    Arrays.fill(expected, 6_000);
    assertThat(SampleChecks.chiSquare(counts, expected)).isLessThan(CHI2_9DF_P001);
    assertThat(UniformSamples.subset(range(0, 5), 8, random)).as("all, in their order").containsExactlyElementsOf(range(0, 5));
    assertThat(UniformSamples.subset(range(0, 5), 0, random)).isEmpty();
  }

  @Test
  void theSplitIsHypergeometricWithTheCountsOfThePopulations() {
    // 100 draws from 300 A and 700 B: mean 30, variance 100 * 0.3 * 0.7 * (900 / 999) = 18.92.
    SplittableRandom random = new SplittableRandom(2);
    int runs = 20_000;
    double sum = 0;
    double sumSq = 0;
    for (int run = 0; run < runs; run++) {
      int a = UniformSamples.hypergeometric(100, 300, 700, random);
      sum += a;
      sumSq += (double) a * a;
    }
    double mean = sum / runs;
    double variance = sumSq / runs - mean * mean;
    assertThat(mean).isCloseTo(30, within(4 * Math.sqrt(18.92 / runs)));
    assertThat(variance).isCloseTo(18.92, within(18.92 * 0.05));
    assertThat(UniformSamples.hypergeometric(1_000, 300, 700, random)).as("every item drawn").isEqualTo(300);
    assertThat(UniformSamples.hypergeometric(50, 0, 700, random)).isZero();
    assertThat(UniformSamples.hypergeometric(50, Long.MAX_VALUE / 2, 0, random)).isEqualTo(50);
  }

  @Test
  void aMergeKeepsEverythingWhenBothSamplesFitUnderTheCap() {
    List<Integer> merged = UniformSamples.merge(range(0, 30), 1_000, range(100, 140), 10_000, 100, new SplittableRandom(3));
    assertThat(merged).containsExactlyInAnyOrderElementsOf(concat(range(0, 30), range(100, 140)));
  }

  @Test
  void aSampleShorterThanItsCountGivesWhatItHasAndTheOtherSideFillsTheCap() {
    // The warm-up de-duplication: one distinct point standing for 90, then 90 new points.
    List<Integer> merged = UniformSamples.merge(List.of(-1), 90, range(0, 90), 90, 90, new SplittableRandom(4));
    assertThat(merged).hasSize(90).doesNotHaveDuplicates().contains(-1);
    // Both short of what the draw could ask: still min(cap, |A| + |B|) points, all distinct.
    for (long seed = 0; seed < 100; seed++) {
      List<Integer> m = UniformSamples.merge(range(0, 10), 1_000_000, range(100, 110), 1_000_000, 15,
          new SplittableRandom(seed));
      assertThat(m).hasSize(15).doesNotHaveDuplicates();
    }
    // Counts below the samples' sizes (a hand-built delta without moments) are raised to the sizes.
    assertThat(UniformSamples.merge(range(0, 10), 0, range(100, 110), 0, 20, new SplittableRandom(5))).hasSize(20);
  }

  @Test
  void aMergeDependsOnlyOnItsInputsAndItsGenerator() {
    List<Integer> a = range(0, 500);
    List<Integer> b = range(1_000, 1_500);
    List<Integer> first = UniformSamples.merge(a, 5_000, b, 2_000, 200, new SplittableRandom(UniformSamples.seed(7, 1, 2)));
    List<Integer> again = UniformSamples.merge(a, 5_000, b, 2_000, 200, new SplittableRandom(UniformSamples.seed(7, 1, 2)));
    List<Integer> other = UniformSamples.merge(a, 5_000, b, 2_000, 200, new SplittableRandom(UniformSamples.seed(7, 1, 3)));
    assertThat(again).containsExactlyElementsOf(first);
    assertThat(other).isNotEqualTo(first);
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
