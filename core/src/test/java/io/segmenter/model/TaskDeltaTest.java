package io.segmenter.model;

import static io.segmenter.model.SampleChecks.CHI2_49DF_P001;
import static io.segmenter.model.SampleChecks.CHI2_9DF_P001;
import static io.segmenter.model.SampleChecks.chiSquare;
import static io.segmenter.model.SampleChecks.decileChiSquare;
import static io.segmenter.model.SampleChecks.indices;
import static io.segmenter.model.SampleChecks.mean;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskDeltaTest {
  static final int D = Features.DIMENSION;
  static final int DELTAS = 50;
  static final int CAP = 1_000;

  /** Points in delta i: 200 to 1,150, in an order unrelated to i. */
  static int size(int i) {
    return 200 + 50 * ((i * 37) % 20);
  }

  /** The first point's global index of delta i (points are numbered across the deltas, in order). */
  static long start(int i) {
    long s = 0;
    for (int j = 0; j < i; j++) s += size(j);
    return s;
  }

  static final long TOTAL = start(DELTAS);

  /** Delta i as a task sends it: a uniform sample of at most CAP of its points (first coordinate = global index). */
  static TaskDelta delta(int i, long seed) {
    MiniBatchAccumulator a = new MiniBatchAccumulator(D, seed * 1_000 + i);
    for (long g = start(i); g < start(i) + size(i); g++) a.add(MiniBatchAccumulatorTest.point(g), -1, g, CAP);
    return a.drain("0_" + (i % 4), i, -1);
  }

  /** The deltas merged in order, as the aggregator merges them. */
  static TaskDelta chain(long seed) {
    TaskDelta pending = TaskDelta.empty(D);
    for (int i = 0; i < DELTAS; i++) pending = pending.mergedWith(delta(i, seed), CAP, seed);
    return pending;
  }

  /** Which delta a global index belongs to. */
  static int deltaOf(long index) {
    int i = 0;
    while (index >= start(i + 1)) i++;
    return i;
  }

  @Test
  void aChainOfFiftyMergedDeltasGivesEachDeltaAShareOfTheSampleProportionalToItsPoints() {
    TaskDelta one = chain(1);
    long[] sample = indices(one.sample());
    assertThat(sample).hasSize(CAP).doesNotHaveDuplicates();
    assertThat(one.points()).isEqualTo(TOTAL);
    double oneMean = mean(sample);
    double oneChi2 = decileChiSquare(sample, TOTAL);
    // Uniform on 0..TOTAL-1 (TOTAL = 34,250): mean 17,125, standard error TOTAL / sqrt(12 * 1,000) = 313.
    double standardError = TOTAL / Math.sqrt(12.0 * CAP);
    assertThat(oneMean).isBetween(TOTAL / 2.0 - 4 * standardError, TOTAL / 2.0 + 4 * standardError);
    assertThat(oneChi2).as("deciles of the global index, one chain").isLessThan(CHI2_9DF_P001);

    // Pooled over 40 chains (other task seeds, other merge seeds): the count of each delta's points.
    int chains = 40;
    long[] perDelta = new long[DELTAS];
    for (long seed = 100; seed < 100 + chains; seed++) {
      for (long g : indices(chain(seed).sample())) perDelta[deltaOf(g)]++;
    }
    double[] expected = new double[DELTAS];
    for (int i = 0; i < DELTAS; i++) expected[i] = (double) chains * CAP * size(i) / TOTAL;
    double chi2 = chiSquare(perDelta, expected);
    System.out.printf("merge chain of %d deltas (%,d points), cap %,d: mean index %.0f (uniform %.0f), decile chi-square %.2f; "
        + "per-delta shares over %d chains: chi-square %.2f (49 df); first delta %d (expected %.0f), last %d (expected %.0f)%n",
        DELTAS, TOTAL, CAP, oneMean, TOTAL / 2.0, oneChi2, chains, chi2, perDelta[0], expected[0],
        perDelta[DELTAS - 1], expected[DELTAS - 1]);
    assertThat(chi2).as("per-delta counts against shares proportional to their points").isLessThan(CHI2_49DF_P001);
  }

  @Test
  void theSameDeltasMergedInTheSameOrderWithTheSameSeedGiveTheSameSample() {
    assertThat(indices(chain(7).sample())).containsExactly(indices(chain(7).sample()));
    TaskDelta otherSeed = TaskDelta.empty(D);
    for (int i = 0; i < DELTAS; i++) otherSeed = otherSeed.mergedWith(delta(i, 7), CAP, 8);
    assertThat(indices(otherSeed.sample())).as("another model seed draws other points").isNotEqualTo(indices(chain(7).sample()));
  }

  @Test
  void aSampleShorterThanItsPointsIsClampedAndTheOtherSideFillsTheCap() {
    // A pending delta that stands for 900 points but, after the warm-up de-duplication, holds 3.
    FeatureScaler many = FeatureScaler.empty(D);
    for (int i = 0; i < 900; i++) many = many.add(MiniBatchAccumulatorTest.point(-1));
    List<double[]> three = List.of(MiniBatchAccumulatorTest.point(-1), MiniBatchAccumulatorTest.point(-2),
        MiniBatchAccumulatorTest.point(-3));
    TaskDelta collapsed = new TaskDelta("0_0", 1, -1, new MiniBatchStatistics(D), many, three, 0);
    TaskDelta next = delta(0, 1); // 200 points, all in its sample
    TaskDelta merged = collapsed.mergedWith(next, 100, 42);
    long[] sample = indices(merged.sample());
    assertThat(sample).hasSize(100).doesNotHaveDuplicates();
    assertThat(merged.points()).isEqualTo(1_100);
    // The draw asks about 82 of the collapsed side's 3: it gives all 3, the next delta fills 97.
    assertThat(sample).contains(-1, -2, -3);
  }

  @Test
  void samplesThatFitUnderTheCapTogetherAreKeptWhole() {
    TaskDelta a = delta(0, 1);
    TaskDelta b = delta(1, 1);
    List<Long> both = new ArrayList<>();
    for (long g : indices(a.sample())) both.add(g);
    for (long g : indices(b.sample())) both.add(g);
    assertThat(indices(a.mergedWith(b, 10_000, 42).sample())).containsExactlyInAnyOrder(
        both.stream().mapToLong(Long::longValue).toArray());
  }
}
